#include "admin/admin_server.h"

#include <chrono>
#include <iostream>
#include <list>
#include <optional>
#include <sstream>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "admin/loopback_request.h"
#include "core/descriptor_limit.h"
#include "core/descriptor_reserve.h"
#include "core/descriptor_shortage.h"
#include "core/last_resort.h"
#include "core/utf8.h"
#include "core/version.h"

namespace meshcore::admin {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto ShortagePause = std::chrono::milliseconds(50);
constexpr auto ReadTimeout = std::chrono::seconds(30);
constexpr auto WriteTimeout = std::chrono::seconds(30);
constexpr std::uint32_t HeaderLimit = 60 * 1024;
constexpr std::uint64_t BodyLimit = std::uint64_t {1024} * 1024;
constexpr int StreamSendBuffer = 128 * 1024; // the kernel doubles it

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

Response makeResponse(const ApiResponse &api, unsigned version, bool keepAlive)
{
    Response response {static_cast<http::status>(api.status), version};
    response.set(http::field::server, std::string("meshd/") + MeshscopeVersion);
    response.set(http::field::content_type, api.contentType);
    response.set(http::field::cache_control, "no-store");
    response.keep_alive(keepAlive);
    response.body() = api.body;
    response.prepare_payload();
    return response;
}

// The header of a streamed response: chunked for HTTP/1.1, until close for HTTP/1.0.
std::string streamHeader(const ApiResponse &api, unsigned version)
{
    http::response<http::empty_body> header {static_cast<http::status>(api.status), version};
    header.set(http::field::server, std::string("meshd/") + MeshscopeVersion);
    header.set(http::field::content_type, api.contentType);
    header.set(http::field::cache_control, "no-store");
    header.keep_alive(false);
    if (version >= 11)
        header.chunked(true);
    std::ostringstream text;
    text << header.base();
    return text.str();
}

std::string chunk(const std::string &data, bool chunked)
{
    if (!chunked)
        return data;
    std::ostringstream text;
    text << std::hex << data.size() << "\r\n" << data << "\r\n";
    return text.str();
}

// The Host and Origin headers, for refuseForeignRequest.
RequestNames namesOf(const Request &request)
{
    RequestNames names;
    for (const auto &field : request)
        if (field.name() == http::field::host)
            names.hosts.emplace_back(field.value());
        else if (field.name() == http::field::origin)
            names.origins.emplace_back(field.value());
    return names;
}

ApiResponse parseError(const beast::error_code &ec)
{
    if (ec == http::error::header_limit)
        return errorResponse(431, ApiErrorCode::HeaderTooLarge,
                             "request header fields too large (limit 60 KiB)");
    if (ec == http::error::body_limit)
        return errorResponse(413, ApiErrorCode::BodyTooLarge,
                             "request body too large (limit 1 MiB)");
    return errorResponse(400, ApiErrorCode::MalformedRequest,
                         "malformed HTTP request: " + ec.message());
}

} // namespace

// One client connection: read a request, answer it, repeat while the client keeps it alive.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, std::shared_ptr<AdminServer::Impl> server,
            std::list<std::weak_ptr<Session>>::iterator self);

    void start() { doRead(); }
    void close();

private:
    void doRead();
    void onRead(beast::error_code ec, std::size_t bytes);
    void doWrite(const ApiResponse &api, unsigned version, bool keepAlive);
    void onWrite(bool keepAlive, beast::error_code ec, std::size_t bytes);
    void doClose();
    // A streamed response: the header, then chunks as the source has them, until it ends or the
    // client leaves (a read that ends tells).
    void startStream(ApiResponse api, unsigned version);
    void pollStream();
    void writeStream(std::string data, bool last);

    beast::tcp_stream m_stream;
    std::shared_ptr<ApiStream> m_source;
    std::optional<asio::steady_timer> m_pollTimer;
    std::string m_pending; // being written
    char m_peek[256] = {};
    bool m_chunked = true;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    std::shared_ptr<Response> m_response;
    std::shared_ptr<AdminServer::Impl> m_server;
    std::list<std::weak_ptr<Session>>::iterator m_registration;
    bool m_closed = false;
};

class AdminServer::Impl : public std::enable_shared_from_this<AdminServer::Impl> {
public:
    Impl(asio::io_context &io, Handler handler)
        : m_acceptor(io)
        , m_retry(io)
        , m_handler(std::move(handler))
    {
    }

    Result<void> listen(const Address &address)
    {
        beast::error_code ec;
        const auto ip = asio::ip::make_address(address.host, ec);
        if (ec)
            return makeError(ErrorCode::InvalidArgument, "bad admin address " + address.toString());
        const tcp::endpoint endpoint {ip, address.port};
        m_acceptor.open(endpoint.protocol(), ec);
        if (!ec)
            m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec)
            m_acceptor.bind(endpoint, ec);
        if (!ec)
            m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (!ec) // acceptThroughReserve() accepts on it directly
            m_acceptor.native_non_blocking(true, ec);
        if (ec == asio::error::address_in_use)
            return makeError(ErrorCode::AddressInUse,
                             "cannot listen on " + address.toString()
                                 + ": the address is already in use (is another meshd running? "
                                   "choose another with --admin)");
        if (ec)
            return makeError(ErrorCode::Io,
                             "cannot listen on " + address.toString() + ": " + ec.message());
        const auto local = m_acceptor.local_endpoint();
        m_local = Address {local.address().to_string(), local.port()};
        m_shortage.emplace("the admin API " + m_local.toString(),
                           "the admin API " + m_local.toString()
                               + " answers one connection at a time until some close");
        return {};
    }

    void doAccept()
    {
        m_acceptor.async_accept(
            [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                if (ec == asio::error::operation_aborted || !self->m_acceptor.is_open())
                    return;
                if (ec.category() == asio::error::get_system_category()
                    && isDescriptorShortage(ec.value()))
                    return self->acceptWhileOut();
                if (!ec) {
                    self->m_shortage->accepted(std::chrono::steady_clock::now());
                    self->startSession(std::move(socket));
                }
                // Other accept errors are transient: keep accepting.
                self->doAccept();
            });
    }

    // Out of file descriptors: the reserve lets one connection in (a /healthz probe gets its
    // answer); then a short pause, not a busy loop, before accepting again. The reserve comes
    // back when a session ends.
    void acceptWhileOut()
    {
        m_shortage->outOfDescriptors(std::chrono::steady_clock::now(), 0);
        if (const int fd = acceptThroughReserve(m_acceptor.native_handle(), m_reserve); fd >= 0) {
            tcp::socket socket(m_acceptor.get_executor());
            beast::error_code ec;
            socket.assign(m_acceptor.local_endpoint(ec).protocol(), fd, ec);
            if (ec)
                ::close(fd);
            else
                startSession(std::move(socket));
        }
        m_retry.expires_after(ShortagePause);
        m_retry.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec || !self->m_acceptor.is_open())
                return;
            self->m_reserve.restore();
            self->doAccept();
        });
    }

    void startSession(tcp::socket socket)
    {
        const auto it = m_sessions.emplace(m_sessions.end());
        auto session = std::make_shared<Session>(std::move(socket), shared_from_this(), it);
        *it = session;
        session->start();
    }

    void stop()
    {
        beast::error_code ignored;
        m_acceptor.close(ignored);
        m_retry.cancel();
        // close() unregisters, so walk a copy.
        const auto sessions = m_sessions;
        for (const auto &weak : sessions)
            if (auto session = weak.lock())
                session->close();
        m_sessions.clear();
        m_stopped = true;
    }

    void unregister(std::list<std::weak_ptr<Session>>::iterator it)
    {
        if (!m_stopped)
            m_sessions.erase(it);
        m_reserve.restore(); // the session's descriptor was just closed, if it was the reserve's
    }

    // The handler's answer; an exception it lets out (a bug) is logged and answered with a 500.
    ApiResponse answer(const ApiRequest &request)
    {
        try {
            return m_handler(request);
        } catch (...) {
            reportOnce(request.method + " " + request.target.substr(0, request.target.find('?')),
                       describeCurrentException());
            return errorResponse(500, ApiErrorCode::Internal,
                                 "meshd failed to answer this request (an internal error, logged "
                                 "on meshd's standard error)");
        }
    }

    // The same failure over and over is logged once, not once a request.
    void reportOnce(const std::string &where, const std::string &what)
    {
        const auto problem = logSafe(where) + ": " + what;
        if (problem == m_lastProblem)
            return;
        m_lastProblem = problem;
        reportUnexpected(std::cerr, "admin API", problem);
    }
    Address localAddress() const { return m_local; }

private:
    tcp::acceptor m_acceptor;
    ReserveDescriptor m_reserve;
    std::optional<DescriptorShortage> m_shortage; // named once listening
    asio::steady_timer m_retry;
    Handler m_handler;
    Address m_local;
    std::list<std::weak_ptr<Session>> m_sessions;
    bool m_stopped = false;
    std::string m_lastProblem;
};

Session::Session(tcp::socket socket, std::shared_ptr<AdminServer::Impl> server,
                 std::list<std::weak_ptr<Session>>::iterator self)
    : m_stream(std::move(socket))
    , m_server(std::move(server))
    , m_registration(self)
{
}

void Session::doRead()
{
    m_parser.emplace();
    m_parser->header_limit(HeaderLimit);
    m_parser->body_limit(BodyLimit);
    m_stream.expires_after(ReadTimeout);
    http::async_read(m_stream, m_buffer, *m_parser,
                     beast::bind_front_handler(&Session::onRead, shared_from_this()));
}

void Session::onRead(beast::error_code ec, std::size_t)
{
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted
        || ec == beast::error::timeout || ec == asio::error::connection_reset || m_closed)
        return doClose();
    if (ec) // malformed or oversized: answer once, forward nothing, close
        return doWrite(parseError(ec), 11, false);
    const Request &request = m_parser->get();
    if (auto refused = refuseForeignRequest(namesOf(request)))
        return doWrite(*refused, request.version(), false);
    ApiRequest api;
    api.method = std::string(request.method_string());
    api.target = std::string(request.target());
    api.authorization = std::string(request[http::field::authorization]);
    api.body = request.body();
    auto answer = m_server->answer(api);
    if (request.method() == http::verb::head) {
        answer.body.clear();
        answer.stream.reset();
    }
    if (answer.stream)
        return startStream(std::move(answer), request.version());
    doWrite(answer, request.version(), request.keep_alive());
}

void Session::doWrite(const ApiResponse &api, unsigned version, bool keepAlive)
{
    m_response = std::make_shared<Response>(makeResponse(api, version, keepAlive));
    m_stream.expires_after(WriteTimeout);
    http::async_write(m_stream, *m_response,
                      beast::bind_front_handler(&Session::onWrite, shared_from_this(), keepAlive));
}

void Session::startStream(ApiResponse api, unsigned version)
{
    m_source = std::move(api.stream);
    m_chunked = version >= 11;
    m_pollTimer.emplace(m_stream.get_executor());
    // The kernel would otherwise buffer up to 4 MiB for a client that does not read, all of it
    // taken from the stream and serialised for nobody: a reader that stops stops the polls sooner.
    beast::error_code ignored;
    m_stream.socket().set_option(asio::socket_base::send_buffer_size(StreamSendBuffer), ignored);
    m_stream.socket().async_read_some(
        asio::buffer(m_peek), [self = shared_from_this()](beast::error_code, std::size_t) {
            self->doClose(); // the client hung up (or spoke out of turn): the stream is over
        });
    std::string first = streamHeader(api, version);
    if (!api.body.empty())
        first += chunk(api.body, m_chunked);
    writeStream(std::move(first), false);
}

void Session::pollStream()
{
    m_pollTimer->expires_after(m_source->interval);
    m_pollTimer->async_wait([self = shared_from_this()](beast::error_code ec) {
        if (ec || self->m_closed)
            return;
        std::string data;
        bool more = false;
        try {
            more = self->m_source->poll(data);
        } catch (...) { // a bug in the source: end this stream, keep meshd
            self->m_server->reportOnce("stream", describeCurrentException());
            data.clear();
        }
        if (data.empty() && more)
            return self->pollStream();
        std::string out = data.empty() ? std::string() : chunk(data, self->m_chunked);
        if (!more && self->m_chunked)
            out += "0\r\n\r\n";
        self->writeStream(std::move(out), !more);
    });
}

void Session::writeStream(std::string data, bool last)
{
    m_pending = std::move(data);
    m_stream.expires_after(WriteTimeout);
    m_stream.async_write_some(
        asio::buffer(m_pending),
        [self = shared_from_this(), last](beast::error_code ec, std::size_t written) {
            if (ec || self->m_closed)
                return self->doClose();
            if (written < self->m_pending.size())
                return self->writeStream(self->m_pending.substr(written), last);
            if (last)
                return self->doClose();
            self->pollStream();
        });
}

void Session::onWrite(bool keepAlive, beast::error_code ec, std::size_t)
{
    m_response.reset();
    if (ec || !keepAlive || m_closed)
        return doClose();
    doRead();
}

void Session::close()
{
    // Called by the server on shutdown: cancel whatever is pending; the handlers then finish.
    m_closed = true;
    if (m_pollTimer)
        m_pollTimer->cancel();
    beast::error_code ignored;
    m_stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    m_stream.socket().close(ignored);
}

void Session::doClose()
{
    if (m_pollTimer)
        m_pollTimer->cancel();
    if (m_stream.socket().is_open()) {
        beast::error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        m_stream.socket().close(ignored);
    }
    if (!m_closed) {
        m_closed = true;
        m_server->unregister(m_registration);
    }
}

Result<std::unique_ptr<AdminServer>> AdminServer::create(asio::io_context &io,
                                                         const Address &address, Handler handler)
{
    if (!address.isLoopback())
        return makeError(ErrorCode::InvalidArgument,
                         "the admin API only listens on loopback addresses (127.0.0.1, ::1), not "
                             + address.toString());
    auto impl = std::make_shared<Impl>(io, std::move(handler));
    if (auto listening = impl->listen(address); !listening)
        return tl::unexpected(listening.error());
    impl->doAccept();
    return std::unique_ptr<AdminServer>(new AdminServer(std::move(impl)));
}

AdminServer::AdminServer(std::shared_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

AdminServer::~AdminServer()
{
    m_impl->stop();
}

Address AdminServer::localAddress() const
{
    return m_impl->localAddress();
}

void AdminServer::stop()
{
    m_impl->stop();
}

} // namespace meshcore::admin
