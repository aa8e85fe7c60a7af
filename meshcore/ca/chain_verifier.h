#pragma once

#include <vector>

#include "ca/certificate.h"
#include "core/clock.h"
#include "core/result.h"

namespace meshcore::ca {

// Checks that `leaf` chains through `intermediates` to one of `trustBundle` at time `at`, with
// OpenSSL's full path validation (signatures, validity periods, CA constraints).
Result<void> verifyChain(const Certificate &leaf, const std::vector<Certificate> &intermediates,
                         const std::vector<Certificate> &trustBundle, TimePoint at);

} // namespace meshcore::ca
