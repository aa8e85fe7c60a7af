#include "core/proc_status.h"

#include <fstream>
#include <string>

namespace meshcore {

std::optional<std::uint64_t> residentKib(pid_t pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.starts_with("VmRSS:"))
            return std::stoull(line.substr(6));
    return std::nullopt;
}

} // namespace meshcore
