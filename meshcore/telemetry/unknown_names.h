#pragma once

#include <cstddef>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace meshcore::telemetry {

// The names called that no service has, as the metrics and the topology keep them. Clients choose
// these names, and each one kept costs label sets in several metrics and a topology edge for as
// long as meshd runs; so only the first MaxNames distinct names that look like host names are kept
// by name, and every other one is counted under Other. The tap and the 503 always say the name
// asked for. Shared by every proxy of one meshd. Thread-safe.
class UnknownNames {
public:
    static constexpr std::size_t MaxNames = 100;
    static constexpr std::size_t MaxNameLength = 253; // as DNS
    // The bucket's name: never a host name, so never confused with one.
    static constexpr std::string_view Other = "(other unknown names)";

    // What to record `host` under: `host` itself if it is kept (or there is still room for it),
    // else Other.
    std::string admit(std::string_view host);
    std::size_t size() const;

private:
    mutable std::mutex m_mutex;
    std::set<std::string, std::less<>> m_names;
};

} // namespace meshcore::telemetry
