#pragma once

#include <cstdint>

#include "core/result.h"

namespace meshcore {

// True if something accepts TCP connections on 127.0.0.1:`port` right now.
bool loopbackPortAccepts(std::uint16_t port);

// A port nothing listens on now, picked by the kernel (for `port: auto`; whoever binds it next
// wins, so use it at once).
Result<std::uint16_t> freeLoopbackPort();

} // namespace meshcore
