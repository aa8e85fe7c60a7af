#pragma once

#include <functional>
#include <iosfwd>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

namespace meshcore::daemon {

// A client that hangs up mid-response must not kill the mesh: SIGPIPE is ignored, writes fail.
void ignoreBrokenPipes();

// meshd's signals, handled on the control thread (the one running `io`): SIGHUP reloads the
// configuration, as daemons do (so does `meshd reload`, with an answer), as often as it comes;
// the first SIGINT or SIGTERM stops: `onStop` gets its name and SIGHUP is no longer awaited.
class SignalWatch {
public:
    SignalWatch(boost::asio::io_context &io, std::ostream &err, std::function<void()> onHangup,
                std::function<void(const char *signal)> onStop);

private:
    void awaitHangup();

    std::ostream &m_err;
    std::function<void()> m_onHangup;
    std::function<void(const char *)> m_onStop;
    boost::asio::signal_set m_hangups;
    boost::asio::signal_set m_stops;
};

} // namespace meshcore::daemon
