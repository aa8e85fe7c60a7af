#include "ca/spiffe_id.h"

#include <cctype>

namespace meshcore::ca {
namespace {

bool isLabelChar(char c)
{
    return std::islower(static_cast<unsigned char>(c))
        || std::isdigit(static_cast<unsigned char>(c)) || c == '-';
}

bool isName(std::string_view text, bool allowDots)
{
    if (text.empty() || text.size() > 253 || text.front() == '-' || text.back() == '-')
        return false;
    for (const char c : text)
        if (!isLabelChar(c) && !(allowDots && c == '.'))
            return false;
    return text.front() != '.' && text.back() != '.';
}

} // namespace

std::string SpiffeId::toString() const
{
    return "spiffe://" + trustDomain + "/ns/" + ns + "/sa/" + serviceAccount;
}

Result<SpiffeId> parseSpiffeId(std::string_view uri)
{
    const auto invalid = [&](const std::string &why) {
        return makeError(ErrorCode::InvalidArgument,
                         "'" + std::string(uri) + "' is not a workload identity: " + why
                             + " (expected spiffe://<trust-domain>/ns/<namespace>/sa/<service>)");
    };
    constexpr std::string_view Scheme = "spiffe://";
    if (!uri.starts_with(Scheme))
        return invalid("it must start with spiffe://");
    std::string_view rest = uri.substr(Scheme.size());
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos)
        return invalid("no path");
    SpiffeId id;
    id.trustDomain = std::string(rest.substr(0, slash));
    if (!isName(id.trustDomain, true))
        return invalid("bad trust domain '" + id.trustDomain + "'");
    rest.remove_prefix(slash);
    if (!rest.starts_with("/ns/"))
        return invalid("the path must be /ns/<namespace>/sa/<service>");
    rest.remove_prefix(4);
    const auto sa = rest.find("/sa/");
    if (sa == std::string_view::npos)
        return invalid("the path must be /ns/<namespace>/sa/<service>");
    id.ns = std::string(rest.substr(0, sa));
    id.serviceAccount = std::string(rest.substr(sa + 4));
    if (!isName(id.ns, false) || id.ns.size() > 63)
        return invalid("bad namespace '" + id.ns + "'");
    if (!isName(id.serviceAccount, false) || id.serviceAccount.size() > 63)
        return invalid("bad service name '" + id.serviceAccount + "'");
    return id;
}

} // namespace meshcore::ca
