#include "cli/args.h"

#include <algorithm>

namespace meshcore::cli {

std::optional<std::string> ParsedArgs::value(const std::string &name) const
{
    const auto it = m_values.find(name);
    if (it == m_values.end())
        return std::nullopt;
    return it->second;
}

Result<ParsedArgs> parseArgs(const std::vector<std::string> &args,
                             const std::vector<FlagSpec> &flags)
{
    ParsedArgs parsed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg == "--") {
            parsed.m_positional.insert(parsed.m_positional.end(),
                                       args.begin() + static_cast<long>(i) + 1, args.end());
            break;
        }
        if (!arg.starts_with("-") || arg == "-") {
            parsed.m_positional.push_back(arg);
            continue;
        }
        if (!arg.starts_with("--"))
            return makeError(ErrorCode::InvalidArgument, "unknown flag '" + arg + "'");
        const auto equals = arg.find('=');
        const std::string name
            = arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
        const auto spec = std::find_if(flags.begin(), flags.end(),
                                       [&](const FlagSpec &f) { return f.name == name; });
        if (spec == flags.end())
            return makeError(ErrorCode::InvalidArgument, "unknown flag '--" + name + "'");
        if (parsed.m_values.contains(name))
            return makeError(ErrorCode::InvalidArgument, "--" + name + " given twice");
        if (!spec->takesValue) {
            if (equals != std::string::npos)
                return makeError(ErrorCode::InvalidArgument, "--" + name + " takes no value");
            parsed.m_values[name] = "";
            continue;
        }
        if (equals != std::string::npos) {
            parsed.m_values[name] = arg.substr(equals + 1);
        } else if (i + 1 < args.size() && !args[i + 1].starts_with("--")) {
            parsed.m_values[name] = args[++i];
        } else {
            return makeError(ErrorCode::InvalidArgument, "--" + name + " needs a value");
        }
        if (parsed.m_values[name].empty())
            return makeError(ErrorCode::InvalidArgument, "--" + name + " needs a non-empty value");
    }
    return parsed;
}

} // namespace meshcore::cli
