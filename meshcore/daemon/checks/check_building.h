#pragma once

#include <string>
#include <utility>

#include "daemon/health_checks.h"

// What every check is built from: a named, passing result that findings make worse.
namespace meshcore::daemon::checks {

using Status = CheckResult::Status;

inline CheckResult check(std::string name, std::string title)
{
    CheckResult result;
    result.name = std::move(name);
    result.title = std::move(title);
    return result;
}

// Adds a finding: the status only worsens, messages join with "; ", the first hint stays.
inline void worsen(CheckResult &result, Status status, const std::string &message,
                   const std::string &hint, const std::string &subject)
{
    if (static_cast<int>(status) > static_cast<int>(result.status))
        result.status = status;
    result.message += (result.message.empty() ? "" : "; ") + message;
    if (result.hint.empty())
        result.hint = hint;
    if (!subject.empty())
        result.subjects.push_back(subject);
}

} // namespace meshcore::daemon::checks
