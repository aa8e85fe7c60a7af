#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/args.h"
#include "client/admin_client.h"
#include "core/address.h"
#include "core/result.h"

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

// The start every verb shares that takes no argument but --admin, --state-dir, --json and --help:
// prints `help` for --help, refuses anything else with a usage error. Returns the parsed
// arguments (and fills `common`), or the exit status to end with.
std::variant<ParsedArgs, int> readSimpleVerb(const std::vector<std::string> &rest,
                                             const std::string &verb, const char *help,
                                             CommonFlags &common, std::ostream &out,
                                             std::ostream &err);

// The admin token in `stateDir`, empty when there is none (only the open endpoints will answer);
// an error when the token file is there but not to be trusted (a link, another user's, open to
// others) or not a token.
Result<std::string> adminTokenIfAny(const std::filesystem::path &stateDir);

// A client for the meshd the flags point at, holding the token from its state directory.
Result<std::unique_ptr<client::AdminClient>> adminClient(const CommonFlags &flags);

// GET `path` from the meshd the flags point at, with the token from its state directory; the
// error is one sentence ("cannot connect ... is meshd running?", "refused the admin token ...").
Result<std::string> adminGet(const CommonFlags &flags, const std::string &path);

// A streaming GET (the tap) from that meshd: `onLine` per line until the stream ends, `onLine`
// returns false or `stop` returns true.
Result<void> adminStream(const CommonFlags &flags, const std::string &path,
                         const std::function<bool(std::string_view line)> &onLine,
                         const std::function<bool()> &stop = {});

// A moment in local time: "2026-11-26 09:50:01" by default; with `millis`, ".123" follows.
std::string localTime(std::int64_t unixMs, const char *format = "%Y-%m-%d %H:%M:%S",
                      bool millis = false);

// "12ms", "0.8ms", "1.2s"; "3.0rps", "1.2krps"; "99.95%" (or "-" for no requests).
std::string formatMs(double milliseconds);
std::string formatRps(double rps);
std::string formatPercent(double share);

// Prints rows as aligned columns, two spaces apart (the first row is the header).
void printTable(std::ostream &out, const std::vector<std::vector<std::string>> &rows);

} // namespace meshcore::cli
