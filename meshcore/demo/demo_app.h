#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace meshcore::demo {

// `meshd demo-app`: a small HTTP workload for demos and tests. It answers every request with a
// JSON object naming itself and the caller's mesh identity (l5d-client-id), after calling each
// downstream URL through its http_proxy (its sidecar) and reporting what came back. It can be
// told to be slow, to fail a share of requests, and to answer with more bytes. A downstream
// that fails makes it fail too (500), as a real dependency would.
struct DemoAppOptions {
    std::string name = "demo";
    std::uint16_t port = 0;
    std::vector<std::string> calls; // downstream URLs, e.g. http://api/items
    std::chrono::milliseconds latency {0}; // added per request, jittered +-25 %
    double errorRate = 0; // share of requests answered 500 (0..1)
    std::size_t payloadBytes = 0; // padding added to each answer
    std::size_t leakBytes = 0; // memory kept for good per request: the "phantom leak"
};

// Serves until SIGTERM or SIGINT. Returns the exit status.
int runDemoApp(const DemoAppOptions &options, std::ostream &out, std::ostream &err);

} // namespace meshcore::demo
