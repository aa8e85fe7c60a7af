#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace meshcore::cli {

// The flags one verb accepts: "--name VALUE", "--name=VALUE", or a switch "--name".
struct FlagSpec {
    std::string name; // without dashes
    bool takesValue = true;
};

// Flags and positional words of one verb, after parsing.
class ParsedArgs {
public:
    bool has(const std::string &name) const { return m_values.contains(name); }
    std::optional<std::string> value(const std::string &name) const;
    const std::vector<std::string> &positional() const { return m_positional; }

private:
    friend Result<ParsedArgs> parseArgs(const std::vector<std::string> &,
                                        const std::vector<FlagSpec> &);
    std::map<std::string, std::string> m_values;
    std::vector<std::string> m_positional;
};

// Errors are one line without the program name, e.g. "unknown flag '--frob'".
Result<ParsedArgs> parseArgs(const std::vector<std::string> &args,
                             const std::vector<FlagSpec> &flags);

} // namespace meshcore::cli
