#include "client/admin_client.h"

#include <mutex>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include "admin/api_json.h"
#include "core/version.h"

namespace meshcore::client {
namespace {

struct CurlDeleter {
    void operator()(CURL *curl) const { curl_easy_cleanup(curl); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;

struct SlistDeleter {
    void operator()(curl_slist *list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

size_t appendBody(char *data, size_t size, size_t count, void *user)
{
    auto *body = static_cast<std::string *>(user);
    constexpr std::size_t MaxBody = 64u << 20;
    if (body->size() + size * count > MaxBody)
        return 0; // aborts the transfer with CURLE_WRITE_ERROR
    body->append(data, size * count);
    return size * count;
}

Error transportError(CURLcode code, const Address &address, const char *detail)
{
    const std::string where = "meshd at " + address.toString();
    const std::string why = detail && *detail ? detail : curl_easy_strerror(code);
    switch (code) {
    case CURLE_COULDNT_CONNECT:
        return {ErrorCode::ConnectionRefused,
                "cannot connect to " + where + " (" + why
                    + "); is meshd running? Start it with 'meshd up --demo'"};
    case CURLE_OPERATION_TIMEDOUT:
        return {ErrorCode::Timeout, "no answer from " + where + " in time (" + why + ")"};
    default:
        return {ErrorCode::Protocol, "request to " + where + " failed: " + why};
    }
}

std::string messageFromErrorBody(const std::string &body)
{
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_object() && json.contains("error") && json["error"].is_object()) {
        const auto &error = json["error"];
        if (const auto message = error.find("message");
            message != error.end() && message->is_string())
            return message->get<std::string>();
    }
    return body;
}

} // namespace

struct AdminClient::Impl {
    Options options;
    CurlHandle curl;
    std::string baseUrl;
};

Result<std::unique_ptr<AdminClient>> AdminClient::create(Options options)
{
    static std::once_flag globalInit;
    std::call_once(globalInit, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    CurlHandle curl(curl_easy_init());
    if (!curl)
        return makeError(ErrorCode::Internal, "libcurl could not create a handle");
    auto impl = std::make_unique<Impl>();
    impl->baseUrl = "http://" + options.address.toString();
    impl->options = std::move(options);
    impl->curl = std::move(curl);
    return std::unique_ptr<AdminClient>(new AdminClient(std::move(impl)));
}

AdminClient::AdminClient(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}
AdminClient::~AdminClient() = default;

const Address &AdminClient::address() const
{
    return m_impl->options.address;
}

void AdminClient::setToken(std::string token)
{
    m_impl->options.token = std::move(token);
}

Result<std::string> AdminClient::get(const std::string &path)
{
    return perform("GET", path, {});
}

Result<std::string> AdminClient::post(const std::string &path, const std::string &body)
{
    return perform("POST", path, body);
}

Result<std::string> AdminClient::put(const std::string &path, const std::string &body)
{
    return perform("PUT", path, body);
}

Result<std::string> AdminClient::remove(const std::string &path)
{
    return perform("DELETE", path, {});
}

namespace {

// The options every admin request shares. `request` keeps the strings libcurl points at alive.
struct PreparedRequest {
    std::string url;
    std::string userAgent = std::string("meshscope/") + MeshscopeVersion;
    Slist headers;
    char errorBuffer[CURL_ERROR_SIZE] = {};
};

void prepare(CURL *curl, PreparedRequest &request, const std::string &url,
             const AdminClient::Options &options)
{
    curl_easy_reset(curl);
    request.url = url;
    if (!options.token.empty())
        request.headers.reset(
            curl_slist_append(nullptr, ("Authorization: Bearer " + options.token).c_str()));
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, request.headers.get());
    curl_easy_setopt(curl, CURLOPT_USERAGENT, request.userAgent.c_str());
    // The admin API is on loopback: never route it through the user's http_proxy (which, inside
    // the mesh, is meshd's own outbound proxy).
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connectTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, request.errorBuffer);
}

} // namespace

Result<std::string> AdminClient::perform(const std::string &method, const std::string &path,
                                         const std::string &requestBody)
{
    CURL *curl = m_impl->curl.get();
    PreparedRequest prepared;
    prepare(curl, prepared, m_impl->baseUrl + path, m_impl->options);
    std::string body;
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(m_impl->options.requestTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, appendBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    if (method == "POST" || method == "PUT") {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        if (method == "PUT")
            curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, requestBody.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(requestBody.size()));
    } else if (method == "DELETE") {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "DELETE");
    }

    const CURLcode code = curl_easy_perform(curl);
    if (code != CURLE_OK)
        return tl::unexpected(transportError(code, m_impl->options.address, prepared.errorBuffer));
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (auto failed = statusError(status, path, body); !failed)
        return tl::unexpected(failed.error());
    return body;
}

Result<void> AdminClient::statusError(long status, const std::string &path,
                                      const std::string &body) const
{
    if (status == 401)
        return makeError(ErrorCode::Unauthorized,
                         "meshd at " + m_impl->options.address.toString()
                             + " refused the admin token: " + messageFromErrorBody(body));
    if (status == 404)
        return makeError(ErrorCode::NotFound, messageFromErrorBody(body));
    if (status == 400 || status == 409)
        return makeError(ErrorCode::InvalidArgument, messageFromErrorBody(body));
    if (status < 200 || status >= 300)
        return makeError(ErrorCode::Protocol,
                         "meshd answered " + std::to_string(status) + " for " + path + ": "
                             + messageFromErrorBody(body));
    return {};
}

namespace {

// Splits a streamed body into lines for the caller; keeps an error answer whole.
struct LineStream {
    CURL *curl;
    const std::function<bool(std::string_view)> &onLine;
    const std::function<bool()> &stop;
    std::string pending;
    std::string errorBody;
    bool stopped = false;

    static size_t write(char *data, size_t size, size_t count, void *user)
    {
        auto &self = *static_cast<LineStream *>(user);
        const std::size_t bytes = size * count;
        long status = 0;
        curl_easy_getinfo(self.curl, CURLINFO_RESPONSE_CODE, &status);
        if (status != 200)
            return appendBody(data, size, count, &self.errorBody);
        self.pending.append(data, bytes);
        std::size_t start = 0;
        for (auto end = self.pending.find('\n'); end != std::string::npos;
             end = self.pending.find('\n', start)) {
            const std::string_view line(self.pending.data() + start, end - start);
            start = end + 1;
            if (!line.empty() && !self.onLine(line)) {
                self.stopped = true;
                return 0;
            }
        }
        self.pending.erase(0, start);
        return bytes;
    }
    static int progress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
    {
        auto &self = *static_cast<LineStream *>(user);
        if (self.stop && self.stop()) {
            self.stopped = true;
            return 1;
        }
        return 0;
    }
};

} // namespace

Result<void> AdminClient::streamLines(const std::string &path,
                                      const std::function<bool(std::string_view)> &onLine,
                                      const std::function<bool()> &stop)
{
    CURL *curl = m_impl->curl.get();
    PreparedRequest prepared;
    prepare(curl, prepared, m_impl->baseUrl + path, m_impl->options);
    LineStream lines {curl, onLine, stop, {}, {}, false};
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &LineStream::write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &lines);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &LineStream::progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &lines);
    const CURLcode code = curl_easy_perform(curl);
    if (lines.stopped)
        return {};
    if (code != CURLE_OK)
        return tl::unexpected(transportError(code, m_impl->options.address, prepared.errorBuffer));
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    return statusError(status, path, lines.errorBody);
}

Result<admin::Health> AdminClient::healthz()
{
    auto body = get("/healthz");
    if (!body)
        return tl::unexpected(body.error());
    std::string status = *body;
    while (!status.empty() && (status.back() == '\n' || status.back() == '\r'))
        status.pop_back();
    return admin::Health {status == "ok", status};
}

Result<admin::VersionInfo> AdminClient::version()
{
    auto body = get("/api/v1/version");
    if (!body)
        return tl::unexpected(body.error());
    const auto json = nlohmann::json::parse(*body, nullptr, false);
    if (json.is_discarded())
        return makeError(ErrorCode::Protocol, "meshd's version answer is not JSON");
    return admin::versionInfoFromJson(json);
}

} // namespace meshcore::client

namespace meshcore::client {
namespace {
Result<admin::CertificateReport> reportFrom(const Result<std::string> &body)
{
    if (!body)
        return tl::unexpected(body.error());
    const auto json = nlohmann::json::parse(*body, nullptr, false);
    if (json.is_discarded())
        return makeError(ErrorCode::Protocol, "meshd's certificate answer is not JSON");
    return admin::certificateReportFromJson(json);
}
} // namespace

Result<admin::CertificateReport> AdminClient::certificates()
{
    return reportFrom(get("/api/v1/certificates"));
}

Result<admin::CertificateReport> AdminClient::rotateIssuer()
{
    return reportFrom(post("/api/v1/ca/rotate-issuer"));
}

Result<admin::CertificateReport> AdminClient::rotateAnchor(const std::string &stage)
{
    return reportFrom(post("/api/v1/ca/rotate-anchor?stage=" + stage));
}

} // namespace meshcore::client
