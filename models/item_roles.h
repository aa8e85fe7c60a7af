#pragma once

#include <Qt>

namespace meshscope::models {

// The roles the explorer's item models answer beyond Qt's own. Models say what a cell means;
// views decide how it looks (ui/colour_scheme.h turns a status into the palette's colour).

// The role views sort by: a number where the text is formatted for humans.
inline constexpr int SortRole = Qt::UserRole + 1;
// How a cell is doing, as an int of models::Health (Idle, Healthy, Warning, Failing); no value
// for a cell without a status. ui::StatusDelegate colours the text by it.
inline constexpr int StatusRole = Qt::UserRole + 3;

} // namespace meshscope::models
