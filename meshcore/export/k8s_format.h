#pragma once

// How the exported documents spell names, durations and Linkerd's queries.

#include <chrono>
#include <string>
#include <vector>

#include "control/mesh_config.h"

namespace meshcore::kube {

// The Kubernetes Service of one version: "<service>-<version>".
std::string backendName(const control::ServiceConfig &service, const std::string &version);

// A Gateway API duration (GEP-2257: h, m, s, ms; "1m30s", "250ms"), also what Flagger, Argo and
// Prometheus read.
std::string gatewayDuration(std::chrono::milliseconds duration);

// The first comment lines of every document: where it came from, what it needs in the cluster.
std::vector<std::string> provenance(const control::ServiceConfig &service, const std::string &kind,
                                    const std::string &source);

// Appends "Left out: ..." and the notes (nothing when there are none).
void appendLeftOut(std::vector<std::string> &comments, const std::vector<std::string> &notes);

// Linkerd's golden metrics of the inbound side of the pods `selector` picks (PromQL label
// matchers, e.g. `deployment="web"`): success rate in percent, p99 in ms.
std::string successRateQuery(const std::string &ns, const std::string &selector,
                             const std::string &window);
std::string p99Query(const std::string &ns, const std::string &selector, const std::string &window);

// `text` with the characters a regular expression gives meaning to escaped.
std::string regexEscaped(const std::string &text);

// A regular expression on the Cookie header that matches the cookie `name` set to `value`.
std::string cookieRegex(const std::string &name, const std::string &value);

} // namespace meshcore::kube
