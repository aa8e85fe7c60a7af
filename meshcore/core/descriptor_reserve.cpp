#include "core/descriptor_reserve.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace meshcore {

void ReserveDescriptor::release()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

bool ReserveDescriptor::restore()
{
    if (m_fd < 0)
        m_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    return m_fd >= 0;
}

std::uint64_t refuseWaiting(int listenFd, ReserveDescriptor &reserve, std::uint64_t max)
{
    std::uint64_t refused = 0;
    // restore() takes back the descriptor each refusal closed.
    while (refused < max && reserve.restore()) {
        const int fd = acceptThroughReserve(listenFd, reserve);
        if (fd < 0)
            break;
        closeWithReset(fd);
        ++refused;
    }
    return refused;
}

int acceptThroughReserve(int listenFd, ReserveDescriptor &reserve)
{
    if (!reserve.held()) {
        errno = EMFILE;
        return -1;
    }
    reserve.release();
    const int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    const int err = errno;
    reserve.restore();
    errno = err;
    return fd;
}

void closeWithReset(int fd)
{
    const linger reset {1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    ::close(fd);
}

} // namespace meshcore
