#pragma once

#include <cstdint>
#include <iosfwd>
#include <vector>

namespace meshcore {

// One row of the kernel's TCP socket table (/proc/net/tcp and /proc/net/tcp6).
struct TcpSocket {
    std::uint16_t localPort = 0;
    std::uint16_t remotePort = 0;
    int state = 0; // the kernel's TCP state: see TcpState
    unsigned long inode = 0;
};

// The states a check compares against (include/net/tcp_states.h).
namespace TcpState {
inline constexpr int Established = 1;
inline constexpr int Listen = 10;
} // namespace TcpState

// The rows of one table in /proc/net/tcp's format (header line first); rows without a local and
// a remote address are skipped.
std::vector<TcpSocket> parseTcpTable(std::istream &table);

// Every TCP socket of this network namespace, IPv4 then IPv6.
std::vector<TcpSocket> tcpSockets();

} // namespace meshcore
