#include "proxy/proxy_listener.h"

#include <cstdio>
#include <exception>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/descriptor_limit.h"
#include "core/descriptor_reserve.h"
#include "core/descriptor_shortage.h"

namespace meshcore::proxy {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
// Nothing throws out of a coroutine into the io_context: an exception ends that connection only,
// and says so once on stderr (it is a bug to fix, not an expected failure).
void reportFailure(const std::exception_ptr &failure)
{
    if (!failure)
        return;
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "meshd: a proxy connection failed: %s\n", e.what());
    } catch (...) {
        std::fprintf(stderr, "meshd: a proxy connection failed\n");
    }
}

// How long a listener out of file descriptors waits before it tries again, and how many waiting
// connections it refuses (reset) each time: a pause, not a busy loop, and no client left hanging.
constexpr auto ShortagePause = std::chrono::milliseconds(50);
constexpr std::uint64_t RefusalsPerPause = 64;
constexpr auto ErrorPause = std::chrono::milliseconds(100);

bool isShortage(const boost::system::error_code &ec)
{
    return ec.category() == asio::error::get_system_category() && isDescriptorShortage(ec.value());
}

asio::awaitable<void> pause(tcp::acceptor &acceptor, std::chrono::milliseconds duration)
{
    boost::system::error_code ignored;
    asio::steady_timer timer(acceptor.get_executor(), duration);
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

// A free coroutine holding its own copies: it may first run after create() returned.
// The reserve is opened (and the limit read) by create(), so a listener has one from the start.
asio::awaitable<void> acceptLoop(std::shared_ptr<tcp::acceptor> acceptor,
                                 ProxyListener::Session session, Workers &workers, std::string name,
                                 ReserveDescriptor reserve, std::uint64_t limit)
{
    DescriptorShortage shortage(name, "refusing connections on " + name + " until some close");
    for (;;) {
        boost::system::error_code ec;
        Worker &worker = workers.next();
        tcp::socket socket = co_await acceptor->async_accept(
            worker.io(), asio::redirect_error(asio::use_awaitable, ec));
        if (ec == asio::error::operation_aborted || !acceptor->is_open())
            co_return;
        const auto now = DescriptorShortage::Clock::now();
        if (isShortage(ec)) {
            shortage.outOfDescriptors(
                now, refuseWaiting(acceptor->native_handle(), reserve, RefusalsPerPause));
            co_await pause(*acceptor, ShortagePause);
            continue;
        }
        if (ec) {
            co_await pause(*acceptor, ErrorPause); // transient; retrying at once would spin
            continue;
        }
        if (leavesTooFewDescriptors(socket.native_handle(), limit)) {
            // The last few descriptors stay free for the admin API (/healthz) and for the
            // connections already open (their upstreams, certificates, logs).
            socket.set_option(asio::socket_base::linger(true, 0), ec);
            socket.close(ec);
            shortage.outOfDescriptors(now, 1);
            continue;
        }
        shortage.accepted(now);
        socket.set_option(tcp::no_delay(true), ec);
        asio::co_spawn(worker.io(), session(std::move(socket), worker), reportFailure);
    }
}
} // namespace

ProxyListener::ProxyListener(Workers &workers, Session session)
    : m_acceptor(std::make_shared<tcp::acceptor>(workers.acceptor().io()))
    , m_session(std::move(session))
{
}

ProxyListener::~ProxyListener()
{
    stop();
}

Result<std::unique_ptr<ProxyListener>>
ProxyListener::create(Workers &workers, const Address &address, Session session)
{
    if (!address.isLoopback())
        return makeError(ErrorCode::InvalidArgument,
                         "proxies listen on loopback only, not " + address.toString());
    std::unique_ptr<ProxyListener> listener(new ProxyListener(workers, std::move(session)));
    boost::system::error_code ec;
    const tcp::endpoint endpoint {asio::ip::make_address(address.host, ec), address.port};
    auto &acceptor = *listener->m_acceptor;
    if (!ec)
        acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        acceptor.bind(endpoint, ec);
    if (!ec)
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec)
        acceptor.native_non_blocking(true, ec); // refuseWaiting() accepts on it directly
    if (ec == asio::error::address_in_use)
        return makeError(ErrorCode::AddressInUse,
                         "cannot listen on " + address.toString()
                             + ": the address is already in use");
    if (ec)
        return makeError(ErrorCode::Io,
                         "cannot listen on " + address.toString() + ": " + ec.message());
    const auto local = acceptor.local_endpoint();
    listener->m_local = Address {local.address().to_string(), local.port()};
    asio::co_spawn(acceptor.get_executor(),
                   acceptLoop(listener->m_acceptor, listener->m_session, workers,
                              listener->m_local.toString(), ReserveDescriptor(), descriptorLimit()),
                   reportFailure);
    return listener;
}

void ProxyListener::stop()
{
    // On the acceptor's own thread, where its accept loop runs (at once if called there).
    asio::dispatch(m_acceptor->get_executor(), [acceptor = m_acceptor] {
        boost::system::error_code ignored;
        acceptor->close(ignored);
    });
}

} // namespace meshcore::proxy
