#include "daemon/mesh_load.h"

#include <ostream>
#include <vector>

namespace meshcore::daemon {

void MeshLoad::start(const control::MeshConfig &mesh)
{
    m_load.reset();
    if (mesh.load.rate <= 0)
        return;
    std::vector<std::uint16_t> supervisedPorts;
    for (const auto &w : m_dataPlane.workloads())
        if (!w.replica.command.empty())
            supervisedPorts.push_back(w.port);
    m_load = std::make_unique<demo::LoadGenerator>(mesh.load, m_dataPlane.localOutbound(),
                                                   supervisedPorts);
    m_out << "meshd: load generator: " << mesh.load.rate << " requests/s to "
          << mesh.load.targets.size() << " target" << (mesh.load.targets.size() == 1 ? "" : "s")
          << std::endl;
}

} // namespace meshcore::daemon
