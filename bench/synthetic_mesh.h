#pragma once

// The benchmark's mesh, shared with the tests that check its picture (tst_topology_layout).

#include <algorithm>
#include <memory>
#include <random>
#include <set>
#include <string>

#include "admin/api_types.h"

namespace meshscope::bench {

// A mesh shaped like real ones: a few entry services calling down through layers, each service
// calling 3 others of deeper layers on average, with one client in front.
inline std::shared_ptr<meshcore::admin::Topology>
syntheticMesh(int services, int edges, std::uint32_t seed, double successRate)
{
    std::mt19937 random(seed);
    auto topology = std::make_shared<meshcore::admin::Topology>();
    topology->windowSeconds = 30;
    const auto figures = [&](double rps) {
        meshcore::admin::TrafficFigures f;
        f.requests = static_cast<std::int64_t>(rps * 30);
        f.rps = rps;
        f.successRate = std::min(
            1.0, successRate + std::uniform_real_distribution<double>(-0.02, 0.02)(random));
        f.p50Ms = std::uniform_real_distribution<double>(1, 30)(random);
        f.p95Ms = f.p50Ms * 2;
        f.p99Ms = f.p50Ms * 3;
        return f;
    };
    topology->services.push_back({"local-client",
                                  "meshscope-local",
                                  "client",
                                  true,
                                  {},
                                  "spiffe://mesh.local/ns/meshscope-local/sa/local-client",
                                  {}});
    for (int i = 0; i < services; ++i)
        topology->services.push_back(
            {"svc-" + std::to_string(i),
             "ns" + std::to_string(i % 7),
             "service",
             true,
             {"v1", "v2"},
             "",
             figures(std::uniform_real_distribution<double>(0.1, 200)(random))});
    const int layers = 8;
    const auto layerOf = [&](int i) { return i * layers / services; };
    int made = 0;
    for (int i = 0; i < std::max(1, services / 50); ++i, ++made) {
        const auto &callee = topology->services[static_cast<std::size_t>(i) + 1];
        topology->edges.push_back({"local-client",
                                   "meshscope-local",
                                   "",
                                   callee.name,
                                   callee.ns,
                                   "",
                                   true,
                                   true,
                                   figures(10),
                                   {},
                                   {"http"},
                                   std::nullopt});
    }
    std::uniform_int_distribution<int> pick(0, services - 1);
    std::set<std::pair<int, int>> seen;
    while (made < edges) {
        int a = pick(random);
        int b = pick(random);
        if (layerOf(a) >= layerOf(b) || !seen.insert({a, b}).second)
            continue;
        const auto &from = topology->services[static_cast<std::size_t>(a) + 1];
        const auto &to = topology->services[static_cast<std::size_t>(b) + 1];
        topology->edges.push_back({from.name,
                                   from.ns,
                                   "",
                                   to.name,
                                   to.ns,
                                   "",
                                   true,
                                   true,
                                   figures(std::uniform_real_distribution<double>(0.1, 50)(random)),
                                   {{"v1", 0.9, {}}, {"v2", 0.1, {}}},
                                   {"http"},
                                   std::nullopt});
        ++made;
    }
    return topology;
}

} // namespace meshscope::bench
