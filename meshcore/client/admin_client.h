#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "admin/api_types.h"
#include "core/address.h"
#include "core/result.h"
#include "rollout/rollout.h"
#include "rollout/rollout_status.h"

namespace meshcore::client {

// The admin API client (libcurl), shared by the CLI and the desktop app. Calls block until the
// answer or the deadline, so the app runs them on its worker thread, never on the GUI thread.
// Thread: not thread-safe; use one instance per thread.
class AdminClient {
public:
    struct Options {
        Address address;
        std::string token; // empty: only the open endpoints (/healthz) will answer
        std::chrono::milliseconds connectTimeout {1000};
        std::chrono::milliseconds requestTimeout {5000};
    };

    static Result<std::unique_ptr<AdminClient>> create(Options options);
    ~AdminClient();
    AdminClient(const AdminClient &) = delete;
    AdminClient &operator=(const AdminClient &) = delete;

    const Address &address() const;
    void setToken(std::string token);

    Result<admin::Health> healthz();
    Result<admin::VersionInfo> version();
    Result<admin::CertificateReport> certificates();
    Result<admin::CertificateReport> rotateIssuer();
    // stage: "add", "reissue" or "remove".
    Result<admin::CertificateReport> rotateAnchor(const std::string &stage);

    // Applies meshd's configuration file now (POST /api/v1/reload).
    Result<admin::ReloadResult> reload();

    // The views the desktop app polls (admin_client_views.cpp). `service` is "name" or "name.ns".
    Result<admin::Topology> topology(int windowSeconds = 30);
    // With `from` ("name" or "name.ns" of a caller), of that caller's requests only (one edge).
    Result<admin::ServiceRoutes> routes(const std::string &service, const std::string &from = {});
    // The last `rangeSeconds`, as the smallest range meshd keeps that covers it: 300 (5 min of
    // 10-s points), 900 (15 min of 10-s points) or 3600 (an hour of 1-min points).
    Result<admin::ServiceHistory> history(const std::string &service, const std::string &from = {},
                                          int rangeSeconds = 900);
    Result<admin::ChecksReport> checks();
    // Events after `sinceSeq` (0: all that meshd keeps).
    Result<std::vector<admin::EventInfo>> events(std::uint64_t sinceSeq = 0);
    Result<std::vector<admin::WorkloadStatus>> workloads();
    // The workloads with the local clients' outbound, identity and upstream ports.
    Result<admin::WorkloadsReport> workloadsReport();
    Result<std::vector<admin::SplitInfo>> splits(); // every service's
    Result<admin::SplitInfo> split(const std::string &service);
    // Replaces the split; answers the split now in force.
    Result<admin::SplitInfo> setSplit(const std::string &service,
                                      const std::vector<admin::BackendShare> &backends);
    // The runtime faults per service version: every version with one, set one (answers the
    // fault now in force), clear one (answers whether there was one to clear).
    Result<std::vector<admin::VersionFault>> faults();
    Result<admin::VersionFault> setFault(const std::string &service, const std::string &version,
                                         const admin::FaultSpec &fault);
    Result<admin::FaultCleared> clearFault(const std::string &service, const std::string &version);

    // Rollouts (admin_client_rollouts.cpp): every one (or one service's), a service's active or
    // latest one, starting one, and the manual actions (`weight` for set-weight).
    Result<std::vector<rollout::RolloutStatus>> rollouts(const std::string &service = {});
    Result<rollout::RolloutStatus> rollout(const std::string &service);
    Result<rollout::RolloutStatus> startRollout(const control::RolloutSpec &spec);
    Result<rollout::RolloutStatus> rolloutAction(const std::string &service, rollout::Action action,
                                                 std::optional<unsigned> weight = std::nullopt);

    // One GET of an API path, parsed as JSON text. Non-2xx answers become errors carrying the
    // message meshd sent.
    Result<std::string> get(const std::string &path);
    Result<std::string> post(const std::string &path, const std::string &body = {});
    Result<std::string> put(const std::string &path, const std::string &body);
    Result<std::string> remove(const std::string &path); // DELETE

    // A streaming GET (the tap's NDJSON): `onLine` gets each line as it arrives, without its
    // newline, until the stream ends, `onLine` returns false, or `stop` returns true (libcurl asks
    // at least once a second, more often while data flows). No overall deadline: a quiet stream
    // stays open.
    Result<void> streamLines(const std::string &path,
                             const std::function<bool(std::string_view line)> &onLine,
                             const std::function<bool()> &stop = {});

private:
    // An error for a status other than 2xx, with the message meshd sent in `body`.
    Result<void> statusError(long status, const std::string &path, const std::string &body) const;
    Result<std::string> perform(const std::string &method, const std::string &path,
                                const std::string &body);
    struct Impl;
    explicit AdminClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace meshcore::client
