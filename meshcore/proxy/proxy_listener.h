#pragma once

#include <utility>

#include <functional>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "core/address.h"
#include "core/result.h"

namespace meshcore::proxy {

// A loopback TCP listener that runs one coroutine per accepted connection.
// Thread: create and stop on the io_context's thread(s); sessions run on its executor.
class ProxyListener {
public:
    using Session = std::function<boost::asio::awaitable<void>(boost::asio::ip::tcp::socket)>;

    static Result<std::unique_ptr<ProxyListener>> create(boost::asio::io_context &io, const Address &address,
                                                         Session session);
    ~ProxyListener();

    Address localAddress() const { return m_local; }
    void stop();

private:
    ProxyListener(boost::asio::io_context &io, Session session);
    boost::asio::awaitable<void> acceptLoop();

    std::shared_ptr<boost::asio::ip::tcp::acceptor> m_acceptor;
    Session m_session;
    Address m_local;
};

} // namespace meshcore::proxy
