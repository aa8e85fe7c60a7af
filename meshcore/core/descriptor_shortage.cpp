#include "core/descriptor_shortage.h"

#include <cstdio>
#include <limits>

#include "core/descriptor_limit.h"

namespace meshcore {
namespace {

std::string limitText()
{
    const auto limit = descriptorLimit();
    return limit == std::numeric_limits<std::uint64_t>::max() ? "unlimited" : std::to_string(limit);
}

} // namespace

DescriptorShortage::DescriptorShortage(std::string listener, std::string whileOut, Log log)
    : m_listener(std::move(listener))
    , m_whileOut(std::move(whileOut))
    , m_log(std::move(log))
{
    if (!m_log)
        m_log = [](const std::string &line) { std::fprintf(stderr, "meshd: %s\n", line.c_str()); };
}

void DescriptorShortage::outOfDescriptors(Clock::time_point now, std::uint64_t refused)
{
    if (!m_inBurst)
        m_log("out of file descriptors (limit " + limitText() + "): " + m_whileOut
              + "; raise `ulimit -n`");
    m_inBurst = true;
    m_lastShortage = now;
    m_refused += refused;
}

void DescriptorShortage::accepted(Clock::time_point now)
{
    if (!m_inBurst || now - m_lastShortage < QuietPeriod)
        return;
    m_log("file descriptors available again: accepting connections on " + m_listener + " ("
          + std::to_string(m_refused) + " refused while out)");
    m_inBurst = false;
    m_refused = 0;
}

} // namespace meshcore
