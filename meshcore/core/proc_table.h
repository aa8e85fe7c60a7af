#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace meshcore {

// The process table as /proc lists it: the pids this user can see, in /proc's order.
std::vector<pid_t> processIds();

// The command name of `pid` (/proc/PID/comm, at most 15 characters), empty if it is gone.
std::string commandOf(pid_t pid);

// This program's own path (/proc/self/exe), or `fallback` when it cannot be read.
std::string selfExecutable(const std::string &fallback);

} // namespace meshcore
