#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>

// A TCP socket of this process listening on 127.0.0.1 (a port the kernel picks), for the tests
// that find it again in /proc.
struct ListeningSocket {
    int fd = -1;
    std::uint16_t port = 0;
    unsigned long inode = 0; // what /proc/net/tcp and /proc/self/fd call it

    ListeningSocket()
    {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
            || ::listen(fd, 1) != 0
            || ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
            return;
        port = ntohs(address.sin_port);
        struct stat status { };
        if (::fstat(fd, &status) == 0)
            inode = status.st_ino;
    }
    ~ListeningSocket()
    {
        if (fd >= 0)
            ::close(fd);
    }
    ListeningSocket(const ListeningSocket &) = delete;
    ListeningSocket &operator=(const ListeningSocket &) = delete;
};
