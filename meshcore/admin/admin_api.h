#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "admin/api_errors.h"

namespace meshcore::admin {

// One admin request, stripped of its transport.
struct ApiRequest {
    std::string method; // "GET"
    std::string target; // "/api/v1/version?x=y"
    std::string authorization; // the Authorization header, "Bearer <token>"
    std::string body;
};

// A response that goes on after its header (the tap's NDJSON): the server asks it for more every
// `interval` and sends what it gets as one chunk, until it says it is done or the client leaves.
// It asks again only once the last chunk is written, and waits the `interval` the stream has then
// (a stream with more ready sets 0), so a client that does not read stops the polls.
class ApiStream {
public:
    virtual ~ApiStream() = default;
    // Appends what is ready to `out`; returns false once the stream is over (after `out`).
    virtual bool poll(std::string &out) = 0;
    std::chrono::milliseconds interval {100};
};

struct ApiResponse {
    ApiResponse() = default;
    ApiResponse(int status_, std::string contentType_, std::string body_)
        : status(status_)
        , contentType(std::move(contentType_))
        , body(std::move(body_))
    {
    }
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::shared_ptr<ApiStream> stream; // set: `body` goes first, then the stream, chunked
};

ApiResponse jsonResponse(int status, const std::string &json);
// {"error": {"code": ..., "message": ...}}: the code from the one table (api_errors.h).
ApiResponse errorResponse(int status, ApiErrorCode code, const std::string &message);

// The value of `name` in the target's query string ("?stage=add", "?path=%2Fapi"), percent-decoded.
std::optional<std::string> queryParameter(const std::string &target, const std::string &name);

// Routes admin requests to handlers and checks the token. Transport-free, so it is tested
// without sockets. Routes are added before serving starts.
// Thread: handle() runs on the admin (control) thread only.
class AdminApi {
public:
    using Handler = std::function<ApiResponse(const ApiRequest &)>;
    enum class Access { Open, Token };

    explicit AdminApi(std::string token);

    void route(const std::string &method, const std::string &path, Handler handler,
               Access access = Access::Token);

    ApiResponse handle(const ApiRequest &request) const;

private:
    bool authorized(const ApiRequest &request) const;

    struct Route {
        Handler handler;
        Access access;
    };
    std::string m_token;
    std::map<std::pair<std::string, std::string>, Route> m_routes; // (path, method)
};

} // namespace meshcore::admin
