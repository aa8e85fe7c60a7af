#pragma once

#include <compare>
#include <string>
#include <string_view>

namespace meshcore {

// A service's mesh-wide name: its name and namespace, written "name.namespace" ("web.shop"), the
// form users type (`meshd split web.shop ...`), the admin API returns and the explorer shows.
// This is the one place that spelling is built; everything else asks for it here.
struct ServiceKey {
    std::string name;
    std::string ns;

    std::string qualified() const { return qualifiedServiceName(name, ns); }
    friend auto operator<=>(const ServiceKey &, const ServiceKey &) = default;

    // "name.namespace"; `name` alone when the namespace is empty.
    static std::string qualifiedServiceName(std::string_view name, std::string_view ns)
    {
        std::string out(name);
        if (!ns.empty()) {
            out += '.';
            out += ns;
        }
        return out;
    }
};

// The qualified name of any record with a service name and a namespace.
inline std::string qualifiedName(std::string_view name, std::string_view ns)
{
    return ServiceKey::qualifiedServiceName(name, ns);
}

} // namespace meshcore
