#include "core/file_lock.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace meshcore {

Result<FileLock> FileLock::exclusive(const std::filesystem::path &lockFile)
{
    const int fd = ::open(lockFile.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(ErrorCode::Io, "cannot open " + lockFile.string() + ": " + std::strerror(errno));
    while (::flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        const int err = errno;
        ::close(fd);
        return makeError(ErrorCode::Io, "cannot lock " + lockFile.string() + ": " + std::strerror(err));
    }
    return FileLock(fd);
}

FileLock::~FileLock()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

} // namespace meshcore
