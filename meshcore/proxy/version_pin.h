#pragma once

// Part of layer 6 of the outbound stack: which version a request is pinned to by the
// destination's pins (an A/B rollout's header or cookie, meshd's analysis header), if any.

#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/fields.hpp>

#include "control/policy_config.h"
#include "proxy/h2/h2_headers.h"

namespace meshcore::proxy {

// The version of the first pin the request's headers match, or empty. A cookie pin reads every
// Cookie header ("a=1; b=2").
std::string_view pinnedVersion(const std::vector<control::VersionPin> &pins,
                               const boost::beast::http::fields &headers);
// The same for an HTTP/2 request's header block (names in lower case).
std::string_view pinnedVersion(const std::vector<control::VersionPin> &pins,
                               const h2::Headers &headers);

// Whether a Cookie header value holds `name=value`.
bool cookieMatches(std::string_view cookieHeader, std::string_view name, std::string_view value);

} // namespace meshcore::proxy
