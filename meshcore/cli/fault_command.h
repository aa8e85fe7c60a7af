#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "admin/api_types.h"
#include "core/result.h"

namespace meshcore::cli {

// meshd fault set SERVICE VERSION [--abort PERCENT[:STATUS]] [--delay PERCENT:MS],
// meshd fault clear SERVICE VERSION, meshd fault list [--json] (and --admin ADDR, --state-dir
// DIR): the runtime faults of service versions, through the admin API.
int runFaultVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err);

// The fault `--abort` ("100", "25:502", "12.5%:500") and `--delay` ("10:200", "50:2s") ask for,
// or a one-line usage problem; at least one of them must be given.
Result<admin::FaultSpec> faultFromFlags(const std::optional<std::string> &abort,
                                        const std::optional<std::string> &delay);

} // namespace meshcore::cli
