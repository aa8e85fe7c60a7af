#include "core/proc_fd.h"

#include <filesystem>

#include "core/proc_table.h"

namespace meshcore {
namespace {

std::set<unsigned long> socketInodesIn(const std::filesystem::path &fdDir)
{
    std::set<unsigned long> inodes;
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(fdDir, ec)) {
        const auto target = std::filesystem::read_symlink(entry.path(), ec).string();
        if (target.starts_with("socket:["))
            inodes.insert(std::stoul(target.substr(8)));
    }
    return inodes;
}

} // namespace

std::set<unsigned long> socketInodesOf(pid_t pid)
{
    return socketInodesIn("/proc/" + std::to_string(pid) + "/fd");
}

std::set<unsigned long> ownSocketInodes()
{
    return socketInodesIn("/proc/self/fd");
}

std::optional<ProcessName> socketOwner(unsigned long inode)
{
    for (const pid_t pid : processIds())
        if (socketInodesOf(pid).contains(inode))
            return ProcessName {pid, commandOf(pid)};
    return std::nullopt;
}

} // namespace meshcore
