#pragma once

#include <QColor>

#include "models/health.h"
#include "models/mesh_connection.h"

class QWidget;

namespace meshscope::ui {

// Every colour the explorer chooses itself, in one place, for the application's palette as it is
// now (light or dark): health and status colours (the topology, the tables' status cells, the
// service panel), the banners and the connection light. Views ask here at paint or show time,
// so a palette change (the system going dark) recolours everything. Thread: GUI.
namespace colours {

// Whether the application's palette is a dark one (its window colour is dark).
bool dark();

// Idle grey, healthy green, warning orange, failing red.
QColor health(models::Health health);

// A banner's background and text: `warning` yellow (meshd not answering), else red (problems).
struct BannerColours {
    QColor background;
    QColor text;
};
BannerColours banner(bool warning);
// Gives `label` the banner's colours (its palette; call again after a palette change).
void paintBanner(QWidget *label, bool warning);

// The status bar's light: green connected, amber connecting or starting, red disconnected.
QColor connectionLight(models::MeshConnection::State state);

} // namespace colours
} // namespace meshscope::ui
