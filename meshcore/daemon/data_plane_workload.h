#pragma once

// Internal to daemon/data_plane*.cpp: one workload's sidecar.

#include "daemon/data_plane.h"

namespace meshcore::daemon {

struct DataPlane::Workload {
    WorkloadInfo info;
    proxy::WorkloadLabels labels;
    std::shared_ptr<proxy::RouteTable> routes; // its service's, for the inbound's route label
    std::unique_ptr<ca::CertificateHolder> holder;
    std::shared_ptr<proxy::WorkloadTls> tls;
    std::unique_ptr<proxy::InboundProxy> inbound;
    std::unique_ptr<proxy::OutboundProxy> outbound;
    // Parallel to info.upstreams; null while a fixed port waits to be taken over from the
    // workload this one replaces (DataPlane::takeUpstreams).
    std::vector<std::unique_ptr<proxy::UpstreamPort>> upstreams;
    TimePoint createdAt {};

    void stop() const
    {
        if (inbound)
            inbound->stop();
        if (outbound)
            outbound->stop();
        for (const auto &port : upstreams)
            if (port)
                port->stop();
    }
};

} // namespace meshcore::daemon
