#pragma once

#include <iosfwd>
#include <memory>

#include "control/mesh_config.h"
#include "daemon/data_plane.h"
#include "demo/load_generator.h"

namespace meshcore::daemon {

// The mesh's own traffic, if the configuration asks for it (the demo mesh does): a load
// generator calling through the local outbound proxy, replaced when the configuration's load
// section changes.
class MeshLoad {
public:
    MeshLoad(const DataPlane &dataPlane, std::ostream &out)
        : m_dataPlane(dataPlane)
        , m_out(out)
    {
    }
    void start(const control::MeshConfig &mesh); // stops the one running first
    void stop() { m_load.reset(); }

private:
    const DataPlane &m_dataPlane;
    std::ostream &m_out;
    std::unique_ptr<demo::LoadGenerator> m_load;
};

} // namespace meshcore::daemon
