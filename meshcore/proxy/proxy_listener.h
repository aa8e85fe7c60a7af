#pragma once

#include <utility>

#include <functional>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "core/address.h"
#include "core/result.h"
#include "proxy/workers.h"

namespace meshcore::proxy {

// A loopback TCP listener that runs one coroutine per accepted connection, on the next worker.
// Thread: create on any thread; stop() closes the acceptor on the acceptor worker's thread (at
// once when called there, else posted), so any thread may call it.
class ProxyListener {
public:
    using Session
        = std::function<boost::asio::awaitable<void>(boost::asio::ip::tcp::socket, Worker &)>;

    static Result<std::unique_ptr<ProxyListener>> create(Workers &workers, const Address &address,
                                                         Session session);
    ~ProxyListener();

    Address localAddress() const { return m_local; }
    void stop();

private:
    ProxyListener(Workers &workers, Session session);

    std::shared_ptr<boost::asio::ip::tcp::acceptor> m_acceptor;
    Session m_session;
    Address m_local;
};

} // namespace meshcore::proxy
