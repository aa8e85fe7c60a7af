#include "cli/cli_common.h"

#include <ostream>

#include "core/state_dir.h"

namespace meshcore::cli {

int usageError(std::ostream &err, const std::string &verb, const std::string &message)
{
    err << "meshd" << (verb.empty() ? "" : " " + verb) << ": " << message << " (run 'meshd "
        << (verb.empty() ? "" : verb + " ") << "--help')\n";
    return ExitUsage;
}

std::optional<std::string> readCommonFlags(const ParsedArgs &args, CommonFlags &flags)
{
    flags.stateDir = defaultStateDir();
    if (const auto admin = args.value("admin")) {
        auto parsed = parseAddress(*admin);
        if (!parsed)
            return "invalid value for --admin: " + parsed.error().message;
        if (!parsed->isLoopback())
            return "invalid value for --admin: " + parsed->toString()
                   + " is not a loopback address (the admin API never leaves this machine)";
        flags.admin = *parsed;
    }
    if (const auto dir = args.value("state-dir"))
        flags.stateDir = std::filesystem::absolute(*dir);
    return std::nullopt;
}

} // namespace meshcore::cli
