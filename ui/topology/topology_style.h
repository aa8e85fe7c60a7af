#pragma once

#include <QColor>
#include <QFont>
#include <QPen>

#include "models/health.h"

namespace meshscope::ui {

// The topology's colours, pens and fonts, built once per palette (light or dark) and shared by
// every item: a refresh recolours an item by changing which of these it uses, never by making
// new pens. Thread: GUI.
class TopologyStyle {
public:
    static const TopologyStyle &current();
    // Rebuilds for the application's palette (call when it changes: light/dark).
    static void refresh();

    QColor healthColour(models::Health health) const;
    // The pen of an edge: by health, a width bucket from its request rate, dashed when not mTLS.
    const QPen &edgePen(models::Health health, int widthBucket, bool dashed) const;
    static int widthBucket(double rps); // 0..3

    QColor nodeFill;
    QColor nodeFillSelected;
    QColor text;
    QColor mutedText;
    QColor labelBackground;
    QColor lock;
    QColor dot;
    QFont nameFont;
    QFont smallFont;
    QFont labelFont;

private:
    TopologyStyle();
    QPen m_pens[4][4][2]; // health x width x dashed
};

} // namespace meshscope::ui
