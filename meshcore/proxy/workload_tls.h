#pragma once

#include <utility>

#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace meshcore::proxy {

// A workload's current TLS contexts (server side for its inbound proxy, client side for its
// outbound), replaced whole when its certificate renews. Connections keep the contexts they
// started with, so a renewal never drops one.
// Thread-safe: read by data-plane threads, replaced by the control thread.
class WorkloadTls {
public:
    explicit WorkloadTls(std::string identity)
        : m_identity(std::move(identity))
    {
    }

    const std::string &identity() const { return m_identity; }
    std::shared_ptr<boost::asio::ssl::context> server() const;
    std::shared_ptr<boost::asio::ssl::context> client() const;
    void replace(std::shared_ptr<boost::asio::ssl::context> server,
                 std::shared_ptr<boost::asio::ssl::context> client);

private:
    const std::string m_identity;
    mutable std::mutex m_mutex;
    std::shared_ptr<boost::asio::ssl::context> m_server;
    std::shared_ptr<boost::asio::ssl::context> m_client;
};

} // namespace meshcore::proxy
