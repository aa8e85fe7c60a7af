#pragma once

#include <filesystem>

#include "core/result.h"

namespace meshcore {

// An exclusive advisory lock (flock) on a lock file, held until destroyed; waits for other
// holders. Serialises changes to shared state between processes (meshd and CLI verbs). The lock
// file is opened as core/private_path.h says: never through a link, refused if not the user's.
class FileLock {
public:
    static Result<FileLock> exclusive(const std::filesystem::path &lockFile);
    FileLock(FileLock &&other) noexcept
        : m_fd(other.m_fd)
    {
        other.m_fd = -1;
    }
    FileLock &operator=(FileLock &&) = delete;
    FileLock(const FileLock &) = delete;
    ~FileLock();

private:
    explicit FileLock(int fd)
        : m_fd(fd)
    {
    }
    int m_fd;
};

} // namespace meshcore
