#include "core/proc_net_tcp.h"

#include <fstream>
#include <sstream>
#include <string>

namespace meshcore {
namespace {

std::uint16_t portOf(const std::string &address)
{
    return static_cast<std::uint16_t>(
        std::stoul(address.substr(address.find(':') + 1), nullptr, 16));
}

} // namespace

std::vector<TcpSocket> parseTcpTable(std::istream &table)
{
    std::vector<TcpSocket> sockets;
    std::string line;
    std::getline(table, line); // header
    while (std::getline(table, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout;
        unsigned long inode = 0;
        fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid
            >> timeout >> inode;
        if (local.find(':') == std::string::npos || remote.find(':') == std::string::npos)
            continue;
        TcpSocket socket;
        socket.localPort = portOf(local);
        socket.remotePort = portOf(remote);
        socket.state = std::stoi(state, nullptr, 16);
        socket.inode = inode;
        sockets.push_back(socket);
    }
    return sockets;
}

std::vector<TcpSocket> tcpSockets()
{
    std::vector<TcpSocket> sockets;
    for (const char *file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream table(file);
        const auto rows = parseTcpTable(table);
        sockets.insert(sockets.end(), rows.begin(), rows.end());
    }
    return sockets;
}

} // namespace meshcore
