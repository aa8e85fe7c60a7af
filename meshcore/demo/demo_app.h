#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace meshcore::demo {

// `meshd demo-app`: a small HTTP workload for demos and tests. It answers every request with a
// JSON line naming itself and the caller's mesh identity (l5d-client-id), after calling each
// downstream URL through its http_proxy (its sidecar) and reporting what came back.
struct DemoAppOptions {
    std::string name = "demo";
    std::uint16_t port = 0;
    std::vector<std::string> calls; // downstream URLs, e.g. http://api/items
};

// Serves until SIGTERM or SIGINT. Returns the exit status.
int runDemoApp(const DemoAppOptions &options, std::ostream &out, std::ostream &err);

} // namespace meshcore::demo
