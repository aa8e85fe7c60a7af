#pragma once

#include <sys/types.h>

#include <optional>
#include <set>
#include <string>

namespace meshcore {

// The sockets a process holds, by inode, from the links in /proc/PID/fd (empty when this user
// cannot read them).
std::set<unsigned long> socketInodesOf(pid_t pid);
std::set<unsigned long> ownSocketInodes(); // this process's (/proc/self/fd)

// A process as the process table names it.
struct ProcessName {
    pid_t pid = 0;
    std::string command; // /proc/PID/comm
};

// The first process (in /proc's order) holding the socket `inode`, if this user can see it.
std::optional<ProcessName> socketOwner(unsigned long inode);

} // namespace meshcore
