#include "daemon/drain.h"

#include <ostream>

namespace meshcore::daemon {

void drainDataPlane(proxy::Workers &workers, DataPlane &dataPlane, std::ostream &out)
{
    if (!workers.drain([&] { dataPlane.stop(); }, DrainDeadline))
        out << "meshd: requests still in flight after " << DrainDeadline.count()
            << " ms were cut off" << std::endl;
}

} // namespace meshcore::daemon
