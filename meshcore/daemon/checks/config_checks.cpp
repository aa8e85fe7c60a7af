#include "daemon/checks/checks.h"

#include <fstream>
#include <sstream>

#include "daemon/checks/check_building.h"

namespace meshcore::daemon::checks {

CheckResult configDrift(const CheckInputs &in)
{
    auto result = check("config-in-force", "the configuration in force is the one on disk");
    if (!in.configFile)
        return result; // the embedded demo mesh cannot change
    std::ifstream file(*in.configFile, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    if (!file)
        worsen(result, Status::Warn, in.configFile->string() + " cannot be read any more",
               "restore the file, or restart meshd with another --config", "config");
    else if (text.str() != in.configInForce && !in.reloadRefusal.empty())
        worsen(result, Status::Warn,
               in.configFile->string()
                   + " on disk was refused, the previous configuration stays in force: "
                   + in.reloadRefusal,
               "fix the file: meshd applies it as soon as it is valid (or run 'meshd reload' to "
               "see why)",
               "config");
    else if (text.str() != in.configInForce)
        worsen(result, Status::Warn,
               in.configFile->string() + " changed on disk and is not applied yet",
               "meshd applies it within a second; 'meshd reload' applies it now", "config");
    return result;
}

} // namespace meshcore::daemon::checks
