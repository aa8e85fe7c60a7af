#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace meshcore {

// The fields of /proc/PID/stat that meshd reads (proc(5) numbers them from 1).
struct ProcStat {
    char state = '?'; // 3: R, S, D, Z, ...
    pid_t parent = 0; // 4
    pid_t processGroup = 0; // 5
    std::uint64_t userTicks = 0; // 14: utime, in clock ticks
    std::uint64_t systemTicks = 0; // 15: stime
};

// One line in /proc/PID/stat's format; nullopt without the ')' that ends the command (which may
// hold spaces and parentheses itself). Fields the line lacks stay 0.
std::optional<ProcStat> parseProcStat(const std::string &line);

// /proc/PID/stat of `pid`; nullopt if it is gone or unreadable.
std::optional<ProcStat> readProcStat(pid_t pid);

// The process group of `pid` (supervised processes lead their own), or 0.
pid_t processGroupOf(pid_t pid);

} // namespace meshcore
