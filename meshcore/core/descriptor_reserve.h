#pragma once

#include <cstdint>

namespace meshcore {

// A descriptor (/dev/null) held back for when the process runs out: closing it lets exactly one
// accept() through, so a listener can still take the connection at the head of its queue (to
// answer it, or to refuse it with a reset) instead of leaving every client hanging.
// Thread: one owner thread (each listener has its own).
class ReserveDescriptor {
public:
    ReserveDescriptor() { restore(); }
    ~ReserveDescriptor() { release(); }
    ReserveDescriptor(ReserveDescriptor &&other) noexcept
        : m_fd(other.m_fd)
    {
        other.m_fd = -1;
    }
    ReserveDescriptor &operator=(ReserveDescriptor &&) = delete;
    ReserveDescriptor(const ReserveDescriptor &) = delete;
    ReserveDescriptor &operator=(const ReserveDescriptor &) = delete;

    bool held() const { return m_fd >= 0; }
    // Frees the descriptor for the accept() that follows.
    void release();
    // Takes a descriptor again if none is held; false when none is free yet.
    bool restore();

private:
    int m_fd = -1;
};

// Takes up to `max` connections waiting on the non-blocking listening socket `listenFd`, one at a
// time through `reserve`, and closes each with a reset so its client learns at once. Stops when
// nothing waits or the freed descriptor went elsewhere. Returns how many it refused.
std::uint64_t refuseWaiting(int listenFd, ReserveDescriptor &reserve, std::uint64_t max);

// Accepts one connection waiting on the non-blocking `listenFd` through `reserve` and returns it
// (non-blocking, close-on-exec), or -1 with errno set. The reserve is taken again when a
// descriptor is free, which is usually not before the returned one is closed.
int acceptThroughReserve(int listenFd, ReserveDescriptor &reserve);

// Closes a connected socket with a reset (SO_LINGER 0) rather than an orderly FIN.
void closeWithReset(int fd);

} // namespace meshcore
