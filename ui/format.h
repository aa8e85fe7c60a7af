#pragma once

#include <QString>

#include <optional>

#include "models/figures_text.h"

namespace meshscope::ui {

// "3 s", "4 min 10 s", "2 h 5 min", "3 d 4 h": durations as people read them.
QString humanDuration(qint64 milliseconds);

// The figures' formats live with the models (models/figures_text.h); views use them from here.
using models::humanMs;
using models::humanPercent;
using models::humanRps;

} // namespace meshscope::ui
