#include "core/file_lock.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/private_path.h"

namespace meshcore {

Result<FileLock> FileLock::exclusive(const std::filesystem::path &lockFile)
{
    auto opened = openPrivateFile(lockFile, O_RDWR | O_CREAT);
    if (!opened)
        return tl::unexpected(opened.error());
    const int fd = *opened;
    while (::flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        const int err = errno;
        ::close(fd);
        return makeError(ErrorCode::Io,
                         "cannot lock " + lockFile.string() + ": " + std::strerror(err));
    }
    return FileLock(fd);
}

FileLock::~FileLock()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

} // namespace meshcore
