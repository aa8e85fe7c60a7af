#include "cli/cli_common.h"

#include <ctime>

#include <algorithm>
#include <cstdio>
#include <ostream>

#include "admin/admin_token.h"
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

std::variant<ParsedArgs, int> readSimpleVerb(const std::vector<std::string> &rest,
                                             const std::string &verb, const char *help,
                                             CommonFlags &common, std::ostream &out,
                                             std::ostream &err)
{
    auto args = parseArgs(rest, {{"admin"}, {"state-dir"}, {"json", false}, {"help", false}});
    if (!args)
        return usageError(err, verb, args.error().message);
    if (args->has("help")) {
        out << help;
        return ExitOk;
    }
    if (!args->positional().empty())
        return usageError(err, verb, "unexpected argument '" + args->positional().front() + "'");
    if (auto problem = readCommonFlags(*args, common))
        return usageError(err, verb, *problem);
    return std::move(*args);
}

Result<std::string> adminTokenIfAny(const std::filesystem::path &stateDir)
{
    auto token = admin::readAdminToken(stateDir);
    if (!token && token.error().code == ErrorCode::NotFound)
        return std::string();
    return token;
}

Result<std::unique_ptr<client::AdminClient>> adminClient(const CommonFlags &flags)
{
    client::AdminClient::Options options;
    options.address = flags.admin;
    auto token = adminTokenIfAny(flags.stateDir);
    if (!token)
        return tl::unexpected(token.error());
    options.token = *token;
    return client::AdminClient::create(options);
}

Result<std::string> adminGet(const CommonFlags &flags, const std::string &path)
{
    auto client = adminClient(flags);
    if (!client)
        return tl::unexpected(client.error());
    return (*client)->get(path);
}

Result<void> adminStream(const CommonFlags &flags, const std::string &path,
                         const std::function<bool(std::string_view line)> &onLine,
                         const std::function<bool()> &stop)
{
    auto client = adminClient(flags);
    if (!client)
        return tl::unexpected(client.error());
    return (*client)->streamLines(path, onLine, stop);
}

std::string localTime(std::int64_t unixMs, const char *format, bool millis)
{
    const std::time_t seconds = static_cast<std::time_t>(unixMs / 1000);
    std::tm parts {};
    localtime_r(&seconds, &parts);
    char text[48];
    std::strftime(text, sizeof text, format, &parts);
    std::string out = text;
    if (millis) {
        char fraction[8];
        std::snprintf(fraction, sizeof fraction, ".%03d", static_cast<int>(unixMs % 1000));
        out += fraction;
    }
    return out;
}

std::string formatMs(double milliseconds)
{
    char text[32];
    if (milliseconds >= 1000)
        std::snprintf(text, sizeof text, "%.1fs", milliseconds / 1000);
    else if (milliseconds >= 10)
        std::snprintf(text, sizeof text, "%.0fms", milliseconds);
    else
        std::snprintf(text, sizeof text, "%.1fms", milliseconds);
    return text;
}

std::string formatRps(double rps)
{
    char text[32];
    if (rps >= 1000)
        std::snprintf(text, sizeof text, "%.1fkrps", rps / 1000);
    else
        std::snprintf(text, sizeof text, "%.1frps", rps);
    return text;
}

std::string formatPercent(double share)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f%%", share * 100);
    return text;
}

void printTable(std::ostream &out, const std::vector<std::vector<std::string>> &rows)
{
    std::vector<std::size_t> widths;
    for (const auto &row : rows)
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths.resize(std::max(widths.size(), row.size()), 0);
            widths[i] = std::max(widths[i], row[i].size());
        }
    for (const auto &row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size())
                line += std::string(widths[i] - row[i].size() + 2, ' ');
        }
        out << line << "\n";
    }
}

} // namespace meshcore::cli
