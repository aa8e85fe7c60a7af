#pragma once

// The mesh the export tests turn into Kubernetes YAML, and reading that YAML back.

#include <QTest>

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "control/mesh_config.h"

namespace export_samples {

inline const char *ShopYaml = R"(mesh: {name: shop}
services:
  - name: catalog
    namespace: shop
    versions:
      - {name: v1, replicas: [{port: 9001}]}
      - {name: v2, replicas: [{port: 9002}]}
    split: [{version: v1, weight: 90}, {version: v2, weight: 10}]
    timeout: 5s
    retries: {limit: 2, on: [5xx, connect-failure]}
    failure_accrual: {consecutive_failures: 3}
    routes:
      - {name: items, method: GET, path_prefix: /items, timeout: 1m30s}
      - name: checkout
        method: POST
        path: /checkout
        retries: {on: [gateway-error], non_idempotent: true}
        faults: {delay: {percent: 10, duration: 200ms}}
  - name: web
    versions:
      - {name: v1, replicas: [{port: 9003}, {port: 9004}]}
      - {name: v2, replicas: [{port: 9005}]}
rollouts:
  - service: catalog
    stable: v1
    candidate: v2
    step_weight: 20
    max_weight: 50
    interval: 1m
    analysis: {min_success_rate: 99.5, max_p99: 250ms, failure_threshold: 3, max_p99_ratio: 1.5}
    analysis_traffic: {rps: 5}
  - service: web
    stable: v1
    candidate: v2
    strategy: ab
    iterations: 4
    interval: 30s
    match: {cookie: canary, value: always}
)";

inline meshcore::control::MeshConfig shop(const std::string &yaml = ShopYaml)
{
    auto config = meshcore::control::parseMeshConfig(yaml, "shop.yaml");
    if (!config)
        qFatal("%s", config.error().message.c_str());
    return *config;
}

// The documents of a stream, and the comment lines at the top of each.
inline std::vector<YAML::Node> documents(const std::string &text)
{
    return YAML::LoadAll(text);
}

inline std::vector<std::string> comments(const std::string &text, std::size_t document)
{
    std::vector<std::string> lines;
    std::size_t seen = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        const auto line = text.substr(start, end - start);
        start = end == std::string::npos ? text.size() : end + 1;
        if (line == "---")
            ++seen;
        else if (seen == document + 1 && line.starts_with("# "))
            lines.push_back(line.substr(2));
    }
    return lines;
}

inline bool mentions(const std::vector<std::string> &lines, const std::string &part)
{
    for (const auto &line : lines)
        if (line.find(part) != std::string::npos)
            return true;
    return false;
}

inline std::string str(const YAML::Node &node)
{
    return node.as<std::string>();
}

} // namespace export_samples
