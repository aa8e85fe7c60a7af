#pragma once

#include "daemon/health_checks.h"

// The checks runChecks() runs, one family per file; each reads only the inputs runChecks() made
// sure are set.
namespace meshcore::daemon::checks {

// certificate_checks.cpp: authority, clock
CheckResult caCanIssue(const CheckInputs &in);
CheckResult certificateExpiry(const CheckInputs &in);

// unknown_destinations.cpp: dataPlane (clock if set)
CheckResult unknownDestinations(const CheckInputs &in);

// process_checks.cpp: supervisor (and clock, resources)
CheckResult crashLoops(const CheckInputs &in);
CheckResult memoryGrowth(const CheckInputs &in);

// socket_checks.cpp: dataPlane (and supervisor), from the kernel's socket table
CheckResult workloadsListening(const CheckInputs &in);
CheckResult proxyBypass(const CheckInputs &in);
CheckResult portsInUse(const CheckInputs &in);

// config_checks.cpp
CheckResult configDrift(const CheckInputs &in);

} // namespace meshcore::daemon::checks
