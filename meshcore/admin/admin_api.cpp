#include "admin/admin_api.h"

#include <openssl/crypto.h>

#include "admin/api_json.h"

namespace meshcore::admin {
namespace {

ApiResponse jsonResponse(int status, const nlohmann::json &body)
{
    return ApiResponse{status, "application/json", body.dump() + "\n"};
}

ApiResponse errorResponse(int status, ErrorCode code, const std::string &message)
{
    return jsonResponse(status, errorJson(code, message));
}

std::string pathOf(const std::string &target)
{
    return target.substr(0, target.find('?'));
}

} // namespace

AdminApi::AdminApi(std::string token, VersionSource versionSource)
    : m_token(std::move(token)), m_versionSource(std::move(versionSource))
{
}

bool AdminApi::authorized(const ApiRequest &request) const
{
    constexpr std::string_view Scheme = "Bearer ";
    if (!request.authorization.starts_with(Scheme))
        return false;
    const std::string_view presented = std::string_view(request.authorization).substr(Scheme.size());
    return presented.size() == m_token.size()
           && CRYPTO_memcmp(presented.data(), m_token.data(), m_token.size()) == 0;
}

ApiResponse AdminApi::handle(const ApiRequest &request) const
{
    const auto path = pathOf(request.target);

    // Open endpoints: liveness for supervisors and the GUI's "is anyone there" probe.
    if (path == "/healthz" || path == "/ready") {
        if (request.method != "GET" && request.method != "HEAD")
            return errorResponse(405, ErrorCode::InvalidArgument, path + " only answers GET");
        return ApiResponse{200, "text/plain", "ok\n"};
    }

    if (!path.starts_with("/api/"))
        return errorResponse(404, ErrorCode::NotFound, "no such endpoint: " + path);
    if (!authorized(request))
        return errorResponse(401, ErrorCode::Unauthorized,
                             "missing or wrong admin token: send 'Authorization: Bearer <token>' "
                             "with the token from admin.token in meshd's state directory");

    if (path == "/api/v1/version") {
        if (request.method != "GET")
            return errorResponse(405, ErrorCode::InvalidArgument, path + " only answers GET");
        return jsonResponse(200, toJson(m_versionSource()));
    }
    return errorResponse(404, ErrorCode::NotFound, "no such endpoint: " + path);
}

} // namespace meshcore::admin
