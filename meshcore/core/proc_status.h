#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace meshcore {

// The resident set size of `pid` in KiB (VmRSS in /proc/PID/status); nullopt if it is gone, or
// has none (a zombie, a kernel thread).
std::optional<std::uint64_t> residentKib(pid_t pid);

} // namespace meshcore
