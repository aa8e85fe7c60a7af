#include "core/proc_table.h"

#include <filesystem>
#include <fstream>

namespace meshcore {

std::vector<pid_t> processIds()
{
    std::vector<pid_t> pids;
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator("/proc", ec)) {
        const auto name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        pids.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return pids;
}

std::string commandOf(pid_t pid)
{
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::string command;
    std::getline(comm, command);
    return command;
}

std::string selfExecutable(const std::string &fallback)
{
    std::error_code ec;
    const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? fallback : path.string();
}

} // namespace meshcore
