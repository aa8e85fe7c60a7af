#pragma once

#include <filesystem>
#include <memory>

#include "core/result.h"

namespace meshcore::daemon {

// Exclusive ownership of a state directory by one meshd (flock on meshd.lock, which also holds
// the owner's pid). Released when destroyed or when the process dies, however it dies.
class StateLock {
public:
    static Result<std::unique_ptr<StateLock>> acquire(const std::filesystem::path &stateDir);
    ~StateLock();
    StateLock(const StateLock &) = delete;
    StateLock &operator=(const StateLock &) = delete;

private:
    explicit StateLock(int fd)
        : m_fd(fd)
    {
    }
    int m_fd;
};

inline constexpr const char *StateLockFileName = "meshd.lock";

} // namespace meshcore::daemon
