#include "core/proc_stat.h"

#include <fstream>
#include <sstream>

namespace meshcore {

std::optional<ProcStat> parseProcStat(const std::string &line)
{
    const auto close = line.rfind(')'); // after the command, which may hold spaces
    if (close == std::string::npos)
        return std::nullopt;
    std::istringstream fields(line.substr(close + 2));
    ProcStat stat;
    std::string field;
    for (int i = 3; i <= 15 && fields >> field; ++i) { // fields 3.. after "pid (comm)"
        if (i == 3)
            stat.state = field.front();
        else if (i == 4)
            stat.parent = static_cast<pid_t>(std::stol(field));
        else if (i == 5)
            stat.processGroup = static_cast<pid_t>(std::stol(field));
        else if (i == 14)
            stat.userTicks = std::stoull(field);
        else if (i == 15)
            stat.systemTicks = std::stoull(field);
    }
    return stat;
}

std::optional<ProcStat> readProcStat(pid_t pid)
{
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(file, line);
    return parseProcStat(line);
}

pid_t processGroupOf(pid_t pid)
{
    const auto stat = readProcStat(pid);
    return stat ? stat->processGroup : 0;
}

} // namespace meshcore
