#pragma once

#include <cstdint>

namespace meshcore {

// The process's soft RLIMIT_NOFILE: how many descriptors it may hold open.
std::uint64_t descriptorLimit();

struct DescriptorLimitChange {
    std::uint64_t before = 0;
    std::uint64_t now = 0;
};

// Raises the soft RLIMIT_NOFILE to the hard limit, as nginx's worker_rlimit_nofile and Go's
// runtime do: the soft limit (often 1024) is a default for programs that use select(), which
// meshd does not. Says what the limit was and is; unchanged when it cannot be raised.
DescriptorLimitChange raiseDescriptorLimit();

// Puts the soft limit back to what meshd was started with, for a workload between fork() and
// exec() (async-signal-safe): programs that use select() break on descriptors past 1024, so the
// processes meshd starts get the limit they would have had without it, as Go does for its
// children.
void restoreInheritedDescriptorLimit();

// Whether a connection accepted as descriptor `fd` leaves too few free for what is already open
// and for the admin API: the kernel hands out the lowest free number, so every descriptor below
// `fd` is taken. The reserve is a sixteenth of `limit`, at least 8 and at most 64.
bool leavesTooFewDescriptors(int fd, std::uint64_t limit);

// Whether `err` (from accept) means the process or the system is out of descriptors or memory
// for sockets: EMFILE, ENFILE, ENOBUFS, ENOMEM.
bool isDescriptorShortage(int err);

} // namespace meshcore
