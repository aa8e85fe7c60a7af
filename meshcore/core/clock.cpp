#include "core/clock.h"

namespace meshcore {

const Clock &systemClock()
{
    static const SystemClock clock;
    return clock;
}

} // namespace meshcore
