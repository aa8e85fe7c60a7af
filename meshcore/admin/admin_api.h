#pragma once

#include <functional>
#include <string>

#include "admin/api_types.h"

namespace meshcore::admin {

// One admin request, stripped of its transport.
struct ApiRequest {
    std::string method;        // "GET"
    std::string target;        // "/api/v1/version?x=y"
    std::string authorization; // the Authorization header, "Bearer <token>"
    std::string body;
};

struct ApiResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
};

// Routes admin requests and checks the token. Transport-free, so it is tested without sockets.
// Thread: called on the admin (control) thread only.
class AdminApi {
public:
    using VersionSource = std::function<VersionInfo()>;

    AdminApi(std::string token, VersionSource versionSource);

    ApiResponse handle(const ApiRequest &request) const;

private:
    bool authorized(const ApiRequest &request) const;

    std::string m_token;
    VersionSource m_versionSource;
};

} // namespace meshcore::admin
