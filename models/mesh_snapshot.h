#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

#include <memory>

#include "admin/api_types.h"
#include "core/result.h"
#include "rollout/rollout_status.h"

namespace meshscope::models {

// One poll of meshd, as the worker saw it. Immutable once published; shared between threads.
struct PollResult {
    bool ok = false;
    meshcore::Error error; // when !ok
    meshcore::admin::VersionInfo info; // when ok
    QDateTime at;
    qint64 roundTripMs = 0;

    // The mesh as meshd saw it at `at`. A view is null when its request failed; certificates and
    // checks are asked for every few polls and are carried over in between.
    std::shared_ptr<const meshcore::admin::Topology> topology;
    std::shared_ptr<const std::vector<meshcore::admin::WorkloadStatus>> workloads;
    std::shared_ptr<const meshcore::admin::ChecksReport> checks;
    std::shared_ptr<const meshcore::admin::CertificateReport> certificates;
    std::vector<meshcore::admin::EventInfo> newEvents; // since the previous poll
    bool eventsRestarted = false; // meshd restarted: drop the events seen so far
    // Every rollout meshd keeps (active first, then finished, newest first).
    std::shared_ptr<const std::vector<meshcore::rollout::RolloutStatus>> rollouts;
    // The runtime faults in force (GET /api/v1/faults), one per broken version.
    std::shared_ptr<const std::vector<meshcore::admin::VersionFault>> faults;
    // Every service's traffic split (GET /api/v1/splits): the graph's cards show the shares.
    std::shared_ptr<const std::vector<meshcore::admin::SplitInfo>> splits;

    // The service the app looks at ("name.ns"), with its routes, history and split.
    std::string focus;
    std::shared_ptr<const meshcore::admin::ServiceRoutes> routes;
    std::shared_ptr<const meshcore::admin::ServiceHistory> history;
    std::shared_ptr<const meshcore::admin::SplitInfo> split;
};

using PollResultPtr = std::shared_ptr<const PollResult>;

} // namespace meshscope::models

Q_DECLARE_METATYPE(meshscope::models::PollResultPtr)
