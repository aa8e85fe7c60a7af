#pragma once

#include <QString>

namespace meshscope::testing {

// Runs `promtool check metrics` on `exposition`. Returns an empty string when it passes, else
// what promtool said. Lint exit 3 is accepted when the only remark is about Linkerd's own
// response_latency_ms name ("abbreviated units"): keeping Linkerd's names is deliberate.
QString promtoolProblems(const QByteArray &exposition);

} // namespace meshscope::testing
