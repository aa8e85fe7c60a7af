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
                "cannot connect to " + where + " (" + why + "); is meshd running? Start it with 'meshd up --demo'"};
    case CURLE_OPERATION_TIMEDOUT:
        return {ErrorCode::Timeout, "no answer from " + where + " in time (" + why + ")"};
    default:
        return {ErrorCode::Protocol, "request to " + where + " failed: " + why};
    }
}

std::string messageFromErrorBody(const std::string &body)
{
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_object() && json.contains("error") && json["error"].is_object())
        return json["error"].value("message", body);
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

AdminClient::AdminClient(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
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

Result<std::string> AdminClient::perform(const std::string &method, const std::string &path,
                                         const std::string &requestBody)
{
    CURL *curl = m_impl->curl.get();
    curl_easy_reset(curl);
    const auto url = m_impl->baseUrl + path;
    std::string body;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    Slist headers;
    if (!m_impl->options.token.empty())
        headers.reset(curl_slist_append(nullptr, ("Authorization: Bearer " + m_impl->options.token).c_str()));
    const std::string userAgent = std::string("meshscope/") + MeshscopeVersion;

    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl, CURLOPT_USERAGENT, userAgent.c_str());
    // The admin API is on loopback: never route it through the user's http_proxy (which, inside
    // the mesh, is meshd's own outbound proxy).
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(m_impl->options.connectTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_impl->options.requestTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, appendBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
    if (method == "POST" || method == "PUT") {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        if (method == "PUT")
            curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, requestBody.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(requestBody.size()));
    }

    const CURLcode code = curl_easy_perform(curl);
    if (code != CURLE_OK)
        return tl::unexpected(transportError(code, m_impl->options.address, errorBuffer));

    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (status == 401)
        return makeError(ErrorCode::Unauthorized,
                         "meshd at " + m_impl->options.address.toString()
                             + " refused the admin token: " + messageFromErrorBody(body));
    if (status == 404)
        return makeError(ErrorCode::NotFound, messageFromErrorBody(body));
    if (status == 400 || status == 409)
        return makeError(ErrorCode::InvalidArgument, messageFromErrorBody(body));
    if (status < 200 || status >= 300)
        return makeError(ErrorCode::Protocol, "meshd answered " + std::to_string(status) + " for "
                                                  + path + ": " + messageFromErrorBody(body));
    return body;
}

Result<admin::Health> AdminClient::healthz()
{
    auto body = get("/healthz");
    if (!body)
        return tl::unexpected(body.error());
    std::string status = *body;
    while (!status.empty() && (status.back() == '\n' || status.back() == '\r'))
        status.pop_back();
    return admin::Health{status == "ok", status};
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
