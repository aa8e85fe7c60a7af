#include "daemon/state_lock.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <unistd.h>

#include "core/private_path.h"

namespace meshcore::daemon {

Result<std::unique_ptr<StateLock>> StateLock::acquire(const std::filesystem::path &stateDir)
{
    const auto path = stateDir / StateLockFileName;
    // Not through a planted link: the pid written below would truncate whatever it points to.
    auto opened = openPrivateFile(path, O_RDWR | O_CREAT);
    if (!opened)
        return tl::unexpected(opened.error());
    const int fd = *opened;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        char buffer[32] = {};
        const auto n = ::pread(fd, buffer, sizeof buffer - 1, 0);
        ::close(fd);
        if (err == EWOULDBLOCK) {
            std::string owner = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
            while (!owner.empty() && (owner.back() == '\n' || owner.back() == ' '))
                owner.pop_back();
            return makeError(ErrorCode::Busy,
                             "another meshd"
                                 + (owner.empty() ? std::string() : " (pid " + owner + ")")
                                 + " is already running with state directory " + stateDir.string()
                                 + "; stop it or pass another --state-dir");
        }
        return makeError(ErrorCode::Io, "cannot lock " + path.string() + ": " + std::strerror(err));
    }
    const auto pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
        const int err = errno;
        ::close(fd);
        return makeError(ErrorCode::Io,
                         "cannot write " + path.string() + ": " + std::strerror(err));
    }
    return std::unique_ptr<StateLock>(new StateLock(fd));
}

StateLock::~StateLock()
{
    // Leave the file: unlinking lock files races with the next owner. The pid is cleared so a
    // stale number is never reported.
    if (::ftruncate(m_fd, 0) != 0) {
        // Nothing to do: the lock is released by close() regardless.
    }
    ::close(m_fd);
}

} // namespace meshcore::daemon
