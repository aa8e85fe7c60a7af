#pragma once

#include <QString>

namespace meshscope::ui {

// "3 s", "4 min 10 s", "2 h 5 min", "3 d 4 h": durations as people read them.
QString humanDuration(qint64 milliseconds);

} // namespace meshscope::ui
