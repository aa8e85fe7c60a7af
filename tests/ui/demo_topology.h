#pragma once

// The demo mesh's topology (resources/demo/mesh.yaml) as meshd reports it, with traffic on every
// edge, for the graph's tests: the same services and calls without running the mesh.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "admin/api_types.h"

namespace meshscope::testing {

inline meshcore::admin::TrafficFigures demoFigures(double rps)
{
    meshcore::admin::TrafficFigures f;
    f.requests = static_cast<std::int64_t>(rps * 30);
    f.rps = rps;
    f.successRate = 0.995;
    f.p50Ms = 4;
    f.p95Ms = 9;
    f.p99Ms = 14;
    return f;
}

// `recommendationsV2` is the share of recommendations' traffic going to v2.
inline std::shared_ptr<meshcore::admin::Topology> demoTopology(double recommendationsV2 = 0.1)
{
    using meshcore::admin::TopologyEdge;
    using meshcore::admin::TopologyService;
    auto t = std::make_shared<meshcore::admin::Topology>();
    t->windowSeconds = 30;
    t->services.push_back(TopologyService {.name = "local-client",
                                           .ns = "meshscope-local",
                                           .kind = "client",
                                           .meshed = true,
                                           .versions = {},
                                           .identity = "spiffe://mesh.local/ns/meshscope-local",
                                           .traffic = {}});
    for (const char *name : {"frontend", "catalog", "cart", "inventory", "pricing", "payments"})
        t->services.push_back(TopologyService {.name = name,
                                               .ns = "shop",
                                               .kind = "service",
                                               .meshed = true,
                                               .versions = {"v1"},
                                               .identity = "",
                                               .traffic = demoFigures(3)});
    t->services.push_back(TopologyService {.name = "recommendations",
                                           .ns = "shop",
                                           .kind = "service",
                                           .meshed = true,
                                           .versions = {"v1", "v2"},
                                           .identity = "",
                                           .traffic = demoFigures(3)});
    const std::vector<std::pair<std::string, std::string>> calls {
        {"frontend", "catalog"},  {"frontend", "cart"},          {"frontend", "recommendations"},
        {"catalog", "inventory"}, {"catalog", "pricing"},        {"cart", "pricing"},
        {"cart", "payments"},     {"recommendations", "catalog"}};
    const auto edge = [](std::string from, std::string fromNs, std::string to, double rps) {
        return TopologyEdge {.sourceService = std::move(from),
                             .sourceNs = std::move(fromNs),
                             .sourceIdentity = "spiffe://mesh.local/ns/shop/sa/x",
                             .destinationService = std::move(to),
                             .destinationNs = "shop",
                             .destinationIdentity = "spiffe://mesh.local/ns/shop/sa/y",
                             .destinationMeshed = true,
                             .mtls = true,
                             .traffic = demoFigures(rps),
                             .versions = {},
                             .protocols = {"http"},
                             .tcp = std::nullopt};
    };
    t->edges.push_back(edge("local-client", "meshscope-local", "frontend", 3));
    for (const auto &[from, to] : calls) {
        t->edges.push_back(edge(from, "shop", to, 3));
        if (to == "recommendations")
            t->edges.back().versions
                = {{.version = "v1", .share = 1 - recommendationsV2, .traffic = {}},
                   {.version = "v2", .share = recommendationsV2, .traffic = {}}};
    }
    return t;
}

} // namespace meshscope::testing
