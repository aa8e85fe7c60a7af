#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace meshcore {

// Says that a listener ran out of file descriptors once per burst, not once per connection: the
// first shortage says what is happening and what to do about it, and the first connection
// accepted after a quiet second without one says it is over and how many were refused meanwhile.
// Thread: the listener's.
class DescriptorShortage {
public:
    using Clock = std::chrono::steady_clock;
    using Log = std::function<void(const std::string &line)>;
    static constexpr auto QuietPeriod = std::chrono::seconds(1);

    // `listener` names it ("127.0.0.1:4140"); `whileOut` is what it does until descriptors are
    // free again ("refusing connections on 127.0.0.1:4140 until some close"). `log` gets each
    // line without a prefix; by default they go to stderr after "meshd: ".
    DescriptorShortage(std::string listener, std::string whileOut, Log log = {});

    // Out of descriptors now; `refused` connections were refused because of it.
    void outOfDescriptors(Clock::time_point now, std::uint64_t refused);
    // A connection was accepted as usual.
    void accepted(Clock::time_point now);

    bool inBurst() const { return m_inBurst; }

private:
    std::string m_listener;
    std::string m_whileOut;
    Log m_log;
    bool m_inBurst = false;
    Clock::time_point m_lastShortage {};
    std::uint64_t m_refused = 0;
};

} // namespace meshcore
