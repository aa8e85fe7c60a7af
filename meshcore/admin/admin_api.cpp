#include "admin/admin_api.h"

#include <cctype>

#include <openssl/crypto.h>

#include <nlohmann/json.hpp>

#include "core/json_dump.h"

namespace meshcore::admin {

ApiResponse jsonResponse(int status, const std::string &json)
{
    return ApiResponse {status, "application/json", json + "\n"};
}

ApiResponse errorResponse(int status, ApiErrorCode code, const std::string &message)
{
    const nlohmann::json body
        = {{"error", {{"code", apiErrorCodeName(code)}, {"message", message}}}};
    return jsonResponse(status, dumpJson(body));
}

namespace {

// "%2Fa+b" -> "/a b"; a malformed escape is kept as it is.
std::string percentDecoded(const std::string &text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size()
                   && std::isxdigit(static_cast<unsigned char>(text[i + 1]))
                   && std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

} // namespace

std::optional<std::string> queryParameter(const std::string &target, const std::string &name)
{
    const auto question = target.find('?');
    if (question == std::string::npos)
        return std::nullopt;
    std::size_t start = question + 1;
    while (start <= target.size()) {
        auto end = target.find('&', start);
        if (end == std::string::npos)
            end = target.size();
        const std::string pair = target.substr(start, end - start);
        const auto equals = pair.find('=');
        if (pair.substr(0, equals) == name)
            return equals == std::string::npos ? std::string()
                                               : percentDecoded(pair.substr(equals + 1));
        start = end + 1;
    }
    return std::nullopt;
}

AdminApi::AdminApi(std::string token)
    : m_token(std::move(token))
{
    const auto ok = [](const ApiRequest &) { return ApiResponse {200, "text/plain", "ok\n"}; };
    route("GET", "/healthz", ok, Access::Open);
    route("GET", "/ready", ok, Access::Open);
}

void AdminApi::route(const std::string &method, const std::string &path, Handler handler,
                     Access access)
{
    m_routes[{path, method}] = Route {std::move(handler), access};
}

bool AdminApi::authorized(const ApiRequest &request) const
{
    constexpr std::string_view Scheme = "Bearer ";
    if (!request.authorization.starts_with(Scheme))
        return false;
    const std::string_view presented
        = std::string_view(request.authorization).substr(Scheme.size());
    return presented.size() == m_token.size()
        && CRYPTO_memcmp(presented.data(), m_token.data(), m_token.size()) == 0;
}

ApiResponse AdminApi::handle(const ApiRequest &request) const
{
    const auto path = request.target.substr(0, request.target.find('?'));
    const std::string method = request.method == "HEAD" ? "GET" : request.method;
    const auto found = m_routes.find({path, method});
    if (found == m_routes.end()) {
        const auto any = m_routes.lower_bound({path, std::string()});
        if (any != m_routes.end() && any->first.first == path)
            return errorResponse(405, ApiErrorCode::InvalidArgument,
                                 path + " does not answer " + request.method);
        return errorResponse(404, ApiErrorCode::NotFound, "no such endpoint: " + path);
    }
    if (found->second.access == Access::Token && !authorized(request))
        return errorResponse(
            401, ApiErrorCode::Unauthorized,
            "missing or wrong admin token: send 'Authorization: Bearer <token>' with the "
            "token from admin.token in meshd's state directory");
    return found->second.handler(request);
}

} // namespace meshcore::admin
