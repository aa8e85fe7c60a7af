#include "daemon/signals.h"

#include <csignal>

#include "core/last_resort.h"

namespace meshcore::daemon {

void ignoreBrokenPipes()
{
    std::signal(SIGPIPE, SIG_IGN);
}

SignalWatch::SignalWatch(boost::asio::io_context &io, std::ostream &err,
                         std::function<void()> onHangup,
                         std::function<void(const char *signal)> onStop)
    : m_err(err)
    , m_onHangup(std::move(onHangup))
    , m_onStop(std::move(onStop))
    , m_hangups(io, SIGHUP)
    , m_stops(io, SIGINT, SIGTERM)
{
    awaitHangup();
    m_stops.async_wait([this](const boost::system::error_code &ec, int signal) {
        if (ec)
            return;
        m_onStop(signal == SIGINT ? "SIGINT" : "SIGTERM");
        m_hangups.cancel();
    });
}

void SignalWatch::awaitHangup()
{
    m_hangups.async_wait([this](const boost::system::error_code &ec, int) {
        if (ec)
            return;
        runReportingExceptions(m_err, "SIGHUP reload", [this] { m_onHangup(); });
        awaitHangup();
    });
}

} // namespace meshcore::daemon
