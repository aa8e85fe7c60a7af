#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <string>

#include "core/address.h"

namespace meshscope::testing {

// A plain blocking TCP client for feeding servers exact bytes (malformed requests included).
class RawSocket {
public:
    explicit RawSocket(const meshcore::Address &address)
        : RawSocket(address, false)
    {
        connect();
    }
    // The socket only, connected later by connect(): for a process about to run out of descriptors.
    static std::unique_ptr<RawSocket> unconnected(const meshcore::Address &address)
    {
        return std::unique_ptr<RawSocket>(new RawSocket(address, false));
    }
    ~RawSocket() { ::close(m_fd); }
    RawSocket(const RawSocket &) = delete;
    RawSocket &operator=(const RawSocket &) = delete;

    bool connect()
    {
        sockaddr_in sa {};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(m_address.port);
        ::inet_pton(AF_INET, m_address.host.c_str(), &sa.sin_addr);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0;
        return m_connected;
    }
    bool connected() const { return m_connected; }
    bool send(const std::string &bytes) const
    {
        return ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL)
            == static_cast<ssize_t>(bytes.size());
    }

    // Ends the sending half (the peer reads an end of stream); reading goes on.
    void shutdownWrite() const { ::shutdown(m_fd, SHUT_WR); }

    // Reads until `stop` appears in what was read, the peer closes, or the timeout passes.
    // `reset`: the close was a reset (ECONNRESET), not an end of stream.
    std::string readUntil(const std::string &stop, std::chrono::milliseconds timeout,
                          bool *closed = nullptr, bool *reset = nullptr)
    {
        if (reset)
            *reset = false;
        std::string data;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        if (closed)
            *closed = false;
        while (std::chrono::steady_clock::now() < deadline) {
            if (!stop.empty() && data.find(stop) != std::string::npos)
                break;
            pollfd p {m_fd, POLLIN, 0};
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (::poll(&p, 1, static_cast<int>(std::max<long long>(left.count(), 1))) <= 0)
                continue;
            char buffer[4096];
            const auto n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n <= 0) {
                if (closed)
                    *closed = true;
                if (reset)
                    *reset = n < 0 && errno == ECONNRESET;
                break;
            }
            data.append(buffer, static_cast<std::size_t>(n));
        }
        return data;
    }

private:
    RawSocket(const meshcore::Address &address, bool)
        : m_address(address)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    }

    meshcore::Address m_address;
    int m_fd = -1;
    bool m_connected = false;
};

// A TCP port that accepts connections (the kernel completes the handshake) but never answers:
// the "meshd is hung" case.
class SilentListener {
public:
    SilentListener()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in sa {};
        sa.sin_family = AF_INET;
        ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
        (void)::bind(m_fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
        ::listen(m_fd, 16);
        socklen_t length = sizeof sa;
        ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&sa), &length);
        m_port = ntohs(sa.sin_port);
    }
    ~SilentListener() { ::close(m_fd); }
    meshcore::Address address() const { return {"127.0.0.1", m_port}; }

private:
    int m_fd = -1;
    std::uint16_t m_port = 0;
};

// A loopback port with nothing listening on it (bound, then released).
inline meshcore::Address unusedLoopbackAddress()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa {};
    sa.sin_family = AF_INET;
    ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    (void)::bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
    socklen_t length = sizeof sa;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&sa), &length);
    ::close(fd);
    return {"127.0.0.1", ntohs(sa.sin_port)};
}

} // namespace meshscope::testing
