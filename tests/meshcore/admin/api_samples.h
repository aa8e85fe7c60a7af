#pragma once

// Realistic values of the admin API's view types, every field set to something other than its
// default, for the round-trip test (tst_api_round_trip.cpp).

#include "admin/api_types.h"

namespace api_samples {

using namespace meshcore::admin;

inline TrafficFigures figures(std::int64_t requests, double success, double p50)
{
    TrafficFigures f;
    f.requests = requests;
    f.rps = static_cast<double>(requests) / 30.0;
    f.successRate = success;
    f.p50Ms = p50;
    f.p95Ms = p50 * 3;
    f.p99Ms = p50 * 7.5;
    return f;
}

inline Topology topology()
{
    Topology t;
    t.windowSeconds = 30;
    TopologyService catalog;
    catalog.name = "catalog";
    catalog.ns = "shop";
    catalog.kind = "service";
    catalog.meshed = true;
    catalog.versions = {"v1", "v2"};
    catalog.traffic = figures(180, 0.95, 4.25);
    t.services.push_back(catalog);
    TopologyService client; // clients: an identity, no figures
    client.name = "local-client";
    client.ns = "meshscope-local";
    client.kind = "client";
    client.meshed = true;
    client.identity = "spiffe://mesh.local/ns/meshscope-local/sa/local-client";
    t.services.push_back(client);
    TopologyService unknown; // unknown names: figures, no identity
    unknown.name = "catalgo";
    unknown.ns = "shop";
    unknown.kind = "unknown";
    unknown.traffic = figures(3, 0, 0.5);
    unknown.traffic.successRate.reset(); // as for no requests
    t.services.push_back(unknown);
    TopologyEdge edge;
    edge.sourceService = "web";
    edge.sourceNs = "shop";
    edge.sourceIdentity = "spiffe://mesh.local/ns/shop/sa/web";
    edge.destinationService = "catalog";
    edge.destinationNs = "shop";
    edge.destinationIdentity = "spiffe://mesh.local/ns/shop/sa/catalog";
    edge.destinationMeshed = true;
    edge.mtls = true;
    edge.traffic = figures(180, 0.95, 4.25);
    VersionShare v1;
    v1.version = "v1";
    v1.share = 0.9;
    v1.traffic = figures(162, 1.0, 4);
    VersionShare v2;
    v2.version = "v2";
    v2.share = 0.1;
    v2.traffic = figures(18, 0.5, 6.5);
    edge.versions = {v1, v2};
    t.edges.push_back(edge);
    TopologyEdge tcp = edge; // opaque TCP only: connections, no requests
    tcp.destinationService = "db";
    tcp.destinationIdentity = "spiffe://mesh.local/ns/shop/sa/db";
    tcp.traffic = {};
    tcp.versions = {};
    tcp.protocols = {"tcp"};
    tcp.tcp = TcpFigures {3, 0.5, 1024.5, 65536, 2};
    t.edges.push_back(tcp);
    return t;
}

inline ServiceRoutes routes()
{
    ServiceRoutes r;
    r.service = "catalog";
    r.ns = "shop";
    r.from = "frontend.shop";
    r.windowSeconds = 30;
    RouteFigures search;
    search.name = "search";
    search.traffic = figures(120, 0.99, 3.5);
    search.timeoutMs = 250;
    search.retryLimit = 2;
    search.retriesTotal = 17;
    search.timeoutsTotal = 4;
    RouteFigures fallback; // no timeout: null on the wire
    fallback.name = "default";
    fallback.traffic = figures(6, 1.0, 1.5);
    fallback.retryLimit = 1;
    fallback.retriesTotal = 1;
    fallback.timeoutsTotal = 2;
    r.routes = {search, fallback};
    return r;
}

inline ServiceHistory history()
{
    ServiceHistory h;
    h.service = "catalog";
    h.ns = "shop";
    h.from = "frontend.shop";
    h.rangeSeconds = 3600;
    h.stepSeconds = 60;
    HistoryPoint quiet;
    quiet.timeUnix = 1764000000;
    quiet.traffic.rps = 0;
    HistoryPoint busy;
    busy.timeUnix = 1764000060;
    busy.traffic = figures(60, 0.9, 5);
    h.points = {quiet, busy};
    return h;
}

inline WorkloadsReport workloads()
{
    WorkloadsReport report;
    report.localOutbound = "127.0.0.1:4140";
    report.localIdentity = "spiffe://mesh.local/ns/meshscope-local/sa/local-client";
    WorkloadStatus run; // supervised, sampled, in a balancer
    run.pod = "catalog-v2-0";
    run.service = "catalog";
    run.ns = "shop";
    run.version = "v2";
    run.identity = "spiffe://mesh.local/ns/shop/sa/catalog";
    run.port = 8081;
    run.inbound = "127.0.0.1:4143";
    run.outbound = "127.0.0.1:4144";
    run.certificateSerial = "0a1b2c";
    run.certificateNotAfterUnix = 1764086400;
    run.ready = false;
    run.supervised = true;
    run.processState = "backing-off";
    run.pid = 4242;
    run.restarts = 3;
    run.lastExitStatus = 137;
    run.lastError = "exec failed";
    run.log = "/tmp/meshd/logs/catalog-v2-0.log";
    run.rssKib = 20480;
    run.cpuPercent = 12.5;
    run.rssTrendKibPerMin = 256.5;
    run.rssKeepsGrowing = true;
    run.balancerState = "ejected";
    run.latencyEwmaMs = 7.25;
    run.pending = 2;
    run.ejections = 4;
    WorkloadStatus own; // run by the user, in no balancer
    own.pod = "web-v1-0";
    own.service = "web";
    own.ns = "shop";
    own.version = "v1";
    own.identity = "spiffe://mesh.local/ns/shop/sa/web";
    own.port = 8080;
    own.inbound = "127.0.0.1:4145";
    own.outbound = "127.0.0.1:4146";
    own.certificateSerial = "ff";
    own.certificateNotAfterUnix = 1764086400;
    report.workloads = {run, own};
    return report;
}

inline std::vector<EventInfo> events()
{
    EventInfo start;
    start.seq = 1;
    start.timeUnixMs = 1764000000123;
    start.kind = "start";
    start.subject = "meshd";
    start.message = "meshd started";
    EventInfo split;
    split.seq = 2;
    split.timeUnixMs = 1764000005000;
    split.kind = "split";
    split.subject = "api.shop";
    split.message = "split of api.shop set to v1=90 v2=10 through the admin API";
    return {start, split};
}

inline SplitInfo split(const char *service = "api")
{
    SplitInfo s;
    s.service = service;
    s.ns = "shop";
    BackendShare v1;
    v1.version = "v1";
    v1.weight = 90;
    BackendShare v2;
    v2.version = "v2";
    v2.weight = 10;
    s.backends = {v1, v2};
    s.source = "runtime";
    s.persisted = true;
    return s;
}

inline ReloadResult reload()
{
    ReloadResult r;
    r.changed = true;
    r.summary = "1 service added, 1 changed, 2 workloads started";
    r.configFile = "/etc/meshscope/mesh.yaml";
    r.servicesAdded = {"reviews.shop"};
    r.servicesRemoved = {"legacy.shop"};
    r.servicesChanged = {"api.shop"};
    r.workloadsStarted = {"reviews-v1-0", "reviews-v1-1"};
    r.workloadsStopping = {"legacy-v1-0"};
    r.loadChanged = true;
    return r;
}

} // namespace api_samples
