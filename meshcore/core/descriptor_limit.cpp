#include "core/descriptor_limit.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <limits>
#include <sys/resource.h>

namespace meshcore {
namespace {

std::uint64_t asCount(rlim_t value)
{
    return value == RLIM_INFINITY ? std::numeric_limits<std::uint64_t>::max()
                                  : static_cast<std::uint64_t>(value);
}

// The soft limit meshd was started with, once raiseDescriptorLimit() raised it (0 before).
std::atomic<rlim_t> inheritedSoftLimit {0};

} // namespace

std::uint64_t descriptorLimit()
{
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return std::numeric_limits<std::uint64_t>::max();
    return asCount(limit.rlim_cur);
}

DescriptorLimitChange raiseDescriptorLimit()
{
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return {};
    DescriptorLimitChange change {asCount(limit.rlim_cur), asCount(limit.rlim_cur)};
    if (limit.rlim_cur == limit.rlim_max)
        return change;
    const rlimit raised {limit.rlim_max, limit.rlim_max};
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
        change.now = asCount(raised.rlim_cur);
        inheritedSoftLimit = limit.rlim_cur;
    }
    return change;
}

void restoreInheritedDescriptorLimit()
{
    const rlim_t soft = inheritedSoftLimit.load();
    rlimit limit {};
    if (soft == 0 || ::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    limit.rlim_cur = soft;
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

bool leavesTooFewDescriptors(int fd, std::uint64_t limit)
{
    const std::uint64_t reserve = std::clamp<std::uint64_t>(limit / 16, 8, 64);
    return fd >= 0 && limit > reserve && static_cast<std::uint64_t>(fd) >= limit - reserve;
}

bool isDescriptorShortage(int err)
{
    return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM;
}

} // namespace meshcore
