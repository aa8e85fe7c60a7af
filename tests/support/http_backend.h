#pragma once

#include <utility>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "core/address.h"

namespace meshscope::testing {

// A plain HTTP/1.1 workload for proxy tests, on 127.0.0.1 with a free port. It answers every
// request with one line: "<method> <target> client=<l5d-client-id> body=<bytes>" (the body is
// counted as it streams, not kept), except GET /download/<n>, answered with n bytes. /slow/<ms>
// answers after <ms>; /close-after closes the connection after a keep-alive response;
// /until-close answers with neither Content-Length nor chunked: the body ends with the connection.
// Keep-alive; one thread per connection; it counts connections and requests.
class HttpBackend {
public:
    HttpBackend();
    ~HttpBackend();

    meshcore::Address address() const { return m_address; }
    int connections() const { return m_connections; }
    // How it answers from now on: `status` (200 by default) after `delay`, for failing or slow
    // replicas on demand.
    void setStatus(unsigned status) { m_status = status; }
    void setDelay(std::chrono::milliseconds delay) { m_delayMs = static_cast<int>(delay.count()); }
    int requests() const { return m_requests; }
    // Every request line it saw, in order.
    std::vector<std::string> seen() const;

private:
    void serve(boost::asio::ip::tcp::socket socket);

    boost::asio::io_context m_io;
    boost::asio::ip::tcp::acceptor m_acceptor;
    meshcore::Address m_address;
    std::thread m_acceptThread;
    std::vector<std::thread> m_workers;
    std::atomic<int> m_connections {0};
    std::atomic<int> m_requests {0};
    std::atomic<unsigned> m_status {200};
    std::atomic<int> m_delayMs {0};
    mutable std::mutex m_mutex;
    std::vector<std::string> m_seen;
    std::vector<int> m_sockets; // to unblock workers on destruction
    std::atomic<bool> m_stopping {false};
};

} // namespace meshscope::testing
