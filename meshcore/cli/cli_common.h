#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

#include "cli/args.h"
#include "core/address.h"

namespace meshcore::cli {

inline constexpr int ExitOk = 0;
inline constexpr int ExitFailed = 1;
inline constexpr int ExitUsage = 2;

// Prints "meshd VERB: MESSAGE (run 'meshd VERB --help')" and returns ExitUsage.
int usageError(std::ostream &err, const std::string &verb, const std::string &message);

// The flags most verbs share: where meshd's admin API is and where its state lives.
struct CommonFlags {
    Address admin = defaultAdminAddress();
    std::filesystem::path stateDir;
};

// Reads --admin and --state-dir (defaults for the rest); returns a message for a bad value.
std::optional<std::string> readCommonFlags(const ParsedArgs &args, CommonFlags &flags);

} // namespace meshcore::cli
