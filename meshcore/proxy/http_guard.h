#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/fields.hpp>

namespace meshcore::proxy {

// What the proxy refuses beyond Boost.Beast's own parser checks (docs/reliability.md, "HTTP/1.1
// parsing"): Beast 1.74 accepts `Transfer-Encoding: xchunked`, `chunked, identity` and obsolete
// line folding, all of which smuggle requests past other parsers. Returns why, or nothing.
std::optional<std::string> framingProblem(const boost::beast::http::fields &header);

// True if the raw header section (request line included) folds a header over several lines.
bool hasObsoleteLineFolding(std::string_view rawHeader);

// Removes every field named `name` in any case or with '_' for '-': servers that map both to one
// key (CGI, WSGI, some frameworks) would otherwise read `l5d_client_id` as `l5d-client-id`.
void removeFieldAndLookalikes(boost::beast::http::fields &header, std::string_view name);

// Removes the hop-by-hop fields (RFC 9110 7.6.1) and every field the Connection header names.
// Transfer-Encoding stays: the serializer frames the body as it arrived.
void removeHopByHopFields(boost::beast::http::fields &header);

} // namespace meshcore::proxy
