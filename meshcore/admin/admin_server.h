#pragma once

#include <functional>
#include <memory>

#include "admin/admin_api.h"
#include "core/address.h"
#include "core/result.h"

namespace boost::asio {
class io_context;
}

namespace meshcore::admin {

// The admin API's HTTP/1.1 listener (Boost.Beast): keep-alive sessions with read deadlines and
// header/body limits, handing each parsed request to a handler.
// Thread: every member, and the handler, run on the io_context's thread (a single-threaded
// control context); stop() must be called there too (post it from elsewhere).
class AdminServer {
public:
    using Handler = std::function<ApiResponse(const ApiRequest &)>;

    // Binds and starts accepting. Refuses non-loopback addresses.
    static Result<std::unique_ptr<AdminServer>> create(boost::asio::io_context &io,
                                                       const Address &address, Handler handler);
    ~AdminServer();
    AdminServer(const AdminServer &) = delete;
    AdminServer &operator=(const AdminServer &) = delete;

    // The bound address (with the real port when 0 was asked for).
    Address localAddress() const;

    // Stops accepting and closes every open session; in-flight responses are dropped.
    void stop();

    class Impl;

private:
    explicit AdminServer(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> m_impl;
};

} // namespace meshcore::admin
