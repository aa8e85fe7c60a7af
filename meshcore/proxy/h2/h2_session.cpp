#include "proxy/h2/h2_session.h"

#include <nghttp2/nghttp2.h>

#include <array>
#include <vector>

namespace meshcore::proxy::h2 {

namespace {

// nghttp2 copies what it is given at submission: the nv only points into `headers`.
std::vector<nghttp2_nv> nvFor(const Headers &headers)
{
    std::vector<nghttp2_nv> nv;
    nv.reserve(headers.size());
    for (const auto &header : headers) {
        // NOLINTBEGIN(cppcoreguidelines-pro-type-const-cast): nghttp2_nv is not const-correct
        auto *name = reinterpret_cast<std::uint8_t *>(const_cast<char *>(header.name.data()));
        auto *value = reinterpret_cast<std::uint8_t *>(const_cast<char *>(header.value.data()));
        // NOLINTEND(cppcoreguidelines-pro-type-const-cast)
        nv.push_back({name, value, header.name.size(), header.value.size(), NGHTTP2_NV_FLAG_NONE});
    }
    return nv;
}

std::string libraryError(const char *what, long code)
{
    return std::string("HTTP/2 ") + what + ": " + nghttp2_strerror(static_cast<int>(code));
}

std::string_view text(const std::uint8_t *bytes, std::size_t size)
{
    return {reinterpret_cast<const char *>(bytes), size};
}

} // namespace

// nghttp2's callbacks, as one friend of the session they report to.
struct SessionCallbacks {
    static H2Session &of(void *session) { return *static_cast<H2Session *>(session); }

    static int beginHeaders(nghttp2_session * /*unused*/, const nghttp2_frame *frame, void *user)
    {
        of(user).m_incoming = H2Session::Incoming {frame->hd.stream_id, {}, 0, false};
        return 0;
    }

    // The header list is bounded here, as nghttp2 leaves it to us: a field past the limit is
    // decoded (HPACK's state must go on) and dropped, and the block is answered as too large.
    static int header(nghttp2_session * /*unused*/, const nghttp2_frame *frame,
                      const std::uint8_t *name, std::size_t nameSize, const std::uint8_t *value,
                      std::size_t valueSize, std::uint8_t /*flags*/, void *user)
    {
        auto &session = of(user);
        auto &incoming = session.m_incoming;
        if (incoming.id != frame->hd.stream_id)
            incoming = H2Session::Incoming {frame->hd.stream_id, {}, 0, false};
        if (incoming.tooLarge)
            return 0;
        incoming.bytes += nameSize + valueSize + 32; // RFC 9113 6.5.2's size
        if (incoming.bytes > session.m_limits.maxHeaderListBytes
            || incoming.headers.size() >= session.m_limits.maxHeaderFields) {
            incoming.tooLarge = true;
            Headers {}.swap(incoming.headers);
            return 0;
        }
        incoming.headers.push_back(
            {std::string(text(name, nameSize)), std::string(text(value, valueSize))});
        return 0;
    }

    static HeadKind kindOf(const nghttp2_frame *frame, const Headers &headers)
    {
        if (frame->headers.cat == NGHTTP2_HCAT_REQUEST)
            return HeadKind::Request;
        const auto *status = findHeader(headers, ":status");
        if (!status)
            return HeadKind::Trailers;
        return status->starts_with('1') ? HeadKind::Informational : HeadKind::Response;
    }

    static void headersDone(H2Session &session, const nghttp2_frame *frame)
    {
        auto incoming = std::move(session.m_incoming);
        session.m_incoming = {};
        const std::int32_t id = frame->hd.stream_id;
        const bool endStream = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
        if (frame->headers.cat == NGHTTP2_HCAT_PUSH_RESPONSE)
            return; // push is off (ENABLE_PUSH 0): nghttp2 refuses it before this
        if (incoming.tooLarge && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
            // A request the application never sees: 431, and its DATA is consumed unread.
            static const Headers tooLarge {{":status", "431"}, {"content-length", "0"}};
            const auto nv = nvFor(tooLarge);
            nghttp2_submit_response(session.m_session, id, nv.data(), nv.size(), nullptr);
            return;
        }
        if (incoming.tooLarge) {
            session.resetStream(id, H2Code::EnhanceYourCalm);
            return;
        }
        const auto kind = kindOf(frame, incoming.headers); // (before the headers move)
        session.m_events.onHeaders(id, kind, std::move(incoming.headers), endStream);
    }

    static int frameReceived(nghttp2_session * /*unused*/, const nghttp2_frame *frame, void *user)
    {
        auto &session = of(user);
        switch (frame->hd.type) {
        case NGHTTP2_HEADERS:
            headersDone(session, frame);
            break;
        case NGHTTP2_DATA:
            if ((frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0)
                session.m_events.onEndStream(frame->hd.stream_id);
            break;
        case NGHTTP2_GOAWAY:
            session.m_goAwayReceived = true;
            session.m_events.onGoAway(frame->goaway.last_stream_id, frame->goaway.error_code);
            break;
        default:
            break;
        }
        return 0;
    }

    static int frameSent(nghttp2_session * /*unused*/, const nghttp2_frame *frame, void *user)
    {
        const bool data = frame->hd.type == NGHTTP2_DATA || frame->hd.type == NGHTTP2_HEADERS;
        if (data && (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0)
            of(user).m_events.onEndSent(frame->hd.stream_id);
        return 0;
    }

    static int dataChunk(nghttp2_session * /*unused*/, std::uint8_t /*flags*/, std::int32_t id,
                         const std::uint8_t *data, std::size_t size, void *user)
    {
        of(user).m_events.onData(id, text(data, size));
        return 0;
    }

    static int streamClosed(nghttp2_session * /*unused*/, std::int32_t id, std::uint32_t code,
                            void *user)
    {
        of(user).m_events.onStreamClose(id, code);
        return 0;
    }

    static int error(nghttp2_session * /*unused*/, int /*code*/, const char *message,
                     std::size_t size, void *user)
    {
        of(user).m_error.assign(message, size);
        return 0;
    }

    static ssize_t readBody(nghttp2_session *raw, std::int32_t id, std::uint8_t *buffer,
                            std::size_t size, std::uint32_t *flags,
                            nghttp2_data_source * /*unused*/, void *user)
    {
        auto &session = of(user);
        const auto piece
            = session.m_events.produceBody(id, {reinterpret_cast<char *>(buffer), size});
        const auto bytes = static_cast<ssize_t>(piece.bytes);
        switch (piece.state) {
        case BodyPiece::State::More:
        case BodyPiece::State::Deferred:
            return bytes > 0 ? bytes : static_cast<ssize_t>(NGHTTP2_ERR_DEFERRED);
        case BodyPiece::State::End:
            *flags |= NGHTTP2_DATA_FLAG_EOF;
            return bytes;
        case BodyPiece::State::EndWithTrailers: {
            *flags |= NGHTTP2_DATA_FLAG_EOF | NGHTTP2_DATA_FLAG_NO_END_STREAM;
            const auto trailers = session.m_events.takeTrailers(id);
            const auto nv = nvFor(trailers);
            if (nghttp2_submit_trailer(raw, id, nv.data(), nv.size()) != 0)
                return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
            return bytes;
        }
        case BodyPiece::State::Failed:
            break;
        }
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE; // resets the stream (INTERNAL_ERROR)
    }
};

H2Session::H2Session(Role role, H2Events &events, const H2Limits &limits)
    : m_role(role)
    , m_events(events)
    , m_limits(limits)
{
}

H2Session::~H2Session()
{
    nghttp2_session_del(m_session);
}

Result<std::unique_ptr<H2Session>> H2Session::create(Role role, H2Events &events,
                                                     const H2Limits &limits)
{
    std::unique_ptr<H2Session> session(new H2Session(role, events, limits));
    nghttp2_session_callbacks *callbacks = nullptr;
    nghttp2_option *option = nullptr;
    if (nghttp2_session_callbacks_new(&callbacks) != 0 || nghttp2_option_new(&option) != 0) {
        nghttp2_session_callbacks_del(callbacks);
        return makeError(ErrorCode::Internal, "HTTP/2: out of memory");
    }
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks,
                                                            &SessionCallbacks::beginHeaders);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, &SessionCallbacks::header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks,
                                                         &SessionCallbacks::frameReceived);
    nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, &SessionCallbacks::frameSent);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks,
                                                              &SessionCallbacks::dataChunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks,
                                                           &SessionCallbacks::streamClosed);
    nghttp2_session_callbacks_set_error_callback2(callbacks, &SessionCallbacks::error);
    // Windows reopen as H2Stream takes bytes (consumeConnection/consumeStream), not on their own.
    nghttp2_option_set_no_auto_window_update(option, 1);
    nghttp2_option_set_max_settings(option, limits.maxSettingsEntries);
    nghttp2_option_set_max_outbound_ack(option, 1000);
    // CVE-2023-44487 (rapid reset) and CVE-2024-28182 (CONTINUATION flood): Debian's 1.52.0-1
    // +deb12u3 has both guards; set here so that they hold whatever the library's defaults.
    nghttp2_option_set_stream_reset_rate_limit(option, 1000, 33);
    nghttp2_option_set_max_continuations(option, 8);
    nghttp2_option_set_peer_max_concurrent_streams(option, 100);
    const int created = role == Role::Server
        ? nghttp2_session_server_new2(&session->m_session, callbacks, session.get(), option)
        : nghttp2_session_client_new2(&session->m_session, callbacks, session.get(), option);
    nghttp2_session_callbacks_del(callbacks);
    nghttp2_option_del(option);
    if (created != 0)
        return makeError(ErrorCode::Internal, libraryError("session", created));

    std::vector<nghttp2_settings_entry> settings {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, limits.maxConcurrentStreams},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<std::uint32_t>(limits.streamWindow)},
        {NGHTTP2_SETTINGS_MAX_FRAME_SIZE, limits.maxFrameSize},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE,
         static_cast<std::uint32_t>(limits.maxHeaderListBytes)},
    };
    if (role == Role::Client)
        settings.push_back({NGHTTP2_SETTINGS_ENABLE_PUSH, 0});
    if (const int rv = nghttp2_submit_settings(session->m_session, NGHTTP2_FLAG_NONE,
                                               settings.data(), settings.size());
        rv != 0)
        return makeError(ErrorCode::Internal, libraryError("settings", rv));
    if (const int rv = nghttp2_session_set_local_window_size(session->m_session, NGHTTP2_FLAG_NONE,
                                                             0, limits.connectionWindow);
        rv != 0)
        return makeError(ErrorCode::Internal, libraryError("window", rv));
    return session;
}

Result<void> H2Session::receive(std::string_view bytes)
{
    if (m_failed)
        return makeError(ErrorCode::Protocol, "HTTP/2: the connection already failed");
    const auto taken = nghttp2_session_mem_recv(
        m_session, reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size());
    if (taken < 0) {
        auto message = libraryError("input", taken);
        if (!m_error.empty())
            message += " (" + m_error + ")";
        if (nghttp2_is_fatal(static_cast<int>(taken)) != 0)
            m_failed = true;
        return makeError(ErrorCode::Protocol, std::move(message));
    }
    return {};
}

std::string_view H2Session::pendingOutput()
{
    if (m_failed)
        return {};
    const std::uint8_t *data = nullptr;
    const auto size = nghttp2_session_mem_send(m_session, &data);
    if (size < 0) {
        m_failed = true; // out of memory, or a callback failed the session
        m_error = libraryError("output", size);
        return {};
    }
    return text(data, static_cast<std::size_t>(size));
}

bool H2Session::wantRead() const
{
    return !m_failed && nghttp2_session_want_read(m_session) != 0;
}

bool H2Session::wantWrite() const
{
    return !m_failed && nghttp2_session_want_write(m_session) != 0;
}

Result<std::int32_t> H2Session::submitRequest(const Headers &head, bool hasBody)
{
    nghttp2_data_provider provider {};
    provider.read_callback = &SessionCallbacks::readBody;
    const auto nv = nvFor(head);
    const std::int32_t id = nghttp2_submit_request(m_session, nullptr, nv.data(), nv.size(),
                                                   hasBody ? &provider : nullptr, nullptr);
    if (id < 0)
        return makeError(id == NGHTTP2_ERR_STREAM_ID_NOT_AVAILABLE ? ErrorCode::Busy
                                                                   : ErrorCode::Protocol,
                         libraryError("request", id));
    return id;
}

Result<void> H2Session::submitResponse(std::int32_t id, const Headers &head, bool hasBody)
{
    nghttp2_data_provider provider {};
    provider.read_callback = &SessionCallbacks::readBody;
    const auto nv = nvFor(head);
    if (const int rv = nghttp2_submit_response(m_session, id, nv.data(), nv.size(),
                                               hasBody ? &provider : nullptr);
        rv != 0)
        return makeError(ErrorCode::Protocol, libraryError("response", rv));
    return {};
}

void H2Session::resumeBody(std::int32_t id)
{
    nghttp2_session_resume_data(m_session, id); // not deferred, or closed: nothing to do
}

void H2Session::resetStream(std::int32_t id, H2Code code)
{
    nghttp2_submit_rst_stream(m_session, NGHTTP2_FLAG_NONE, id, static_cast<std::uint32_t>(code));
}

void H2Session::consumeConnection(std::size_t bytes)
{
    if (bytes > 0)
        nghttp2_session_consume_connection(m_session, bytes);
}

void H2Session::consumeStream(std::int32_t id, std::size_t bytes)
{
    if (bytes > 0) // (a closed stream: nothing to reopen)
        nghttp2_session_consume_stream(m_session, id, bytes);
}

void H2Session::shutdownNotice()
{
    if (m_role == Role::Server)
        nghttp2_submit_shutdown_notice(m_session);
}

void H2Session::goAway(H2Code code)
{
    nghttp2_submit_goaway(m_session, NGHTTP2_FLAG_NONE, lastProcessedStream(),
                          static_cast<std::uint32_t>(code), nullptr, 0);
}

std::int32_t H2Session::lastProcessedStream() const
{
    return nghttp2_session_get_last_proc_stream_id(m_session);
}

bool H2Session::streamIdsLeft() const
{
    return nghttp2_session_get_next_stream_id(m_session) < (std::uint32_t {1} << 31) - 2;
}

std::uint32_t H2Session::peerMaxConcurrentStreams() const
{
    return nghttp2_session_get_remote_settings(m_session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS);
}

const char *h2CodeName(std::uint32_t code)
{
    static constexpr std::array<const char *, 14> names {"NO_ERROR",
                                                         "PROTOCOL_ERROR",
                                                         "INTERNAL_ERROR",
                                                         "FLOW_CONTROL_ERROR",
                                                         "SETTINGS_TIMEOUT",
                                                         "STREAM_CLOSED",
                                                         "FRAME_SIZE_ERROR",
                                                         "REFUSED_STREAM",
                                                         "CANCEL",
                                                         "COMPRESSION_ERROR",
                                                         "CONNECT_ERROR",
                                                         "ENHANCE_YOUR_CALM",
                                                         "INADEQUATE_SECURITY",
                                                         "HTTP_1_1_REQUIRED"};
    return code < names.size() ? names.at(code) : "UNKNOWN";
}

} // namespace meshcore::proxy::h2
