#pragma once

#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QHash>
#include <QPen>

#include <map>
#include <utility>

#include "models/health.h"

namespace meshscope::ui {

// The topology's colours, pens and fonts, built once per palette (light or dark) and shared by
// every item: a refresh recolours an item by changing which of these it uses, never by making
// new pens. Rebuilt when the application's palette changes. Thread: GUI.
class TopologyStyle {
public:
    static const TopologyStyle &current();
    // Rebuilds for the application's palette (call when it changes: light/dark).
    static void refresh();

    QColor healthColour(models::Health health) const;
    // The pen of an edge: by health, a width bucket from its request rate, dashed when not mTLS.
    const QPen &edgePen(models::Health health, int widthBucket, bool dashed) const;
    // The same, greyed: meshd is not answering.
    const QPen &stalePen(int widthBucket, bool dashed) const;
    static int widthBucket(double rps); // 0..3

    // Text on screen never gets smaller than this (pixels): zoomed out, the fonts grow in the
    // scene instead, and what does not fit is elided or left out (versions first).
    static constexpr double MinNamePixels = 11;
    static constexpr double MinDetailPixels = 10;
    static constexpr double MinLabelPixels = 10;
    // Below this zoom a card is too small for its name (about 14 px high on screen).
    static constexpr double NamesZoom = 0.25;

    QColor nodeFill;
    QColor nodeFillSelected;
    QColor text;
    QColor mutedText;
    QColor labelBackground;
    QColor lock;
    QColor dot;
    QColor selection; // a selected edge
    QColor stale; // cards' borders and edges while meshd is not answering
    QColor groupFill; // a namespace's box
    QColor groupText;
    QFont nameFont;
    QFont smallFont;
    QFont labelFont;

    // `font` at least `minimumPixels` high on screen at `zoom` (larger in the scene when
    // zoomed out), with its metrics: cached per size, since every card and label asks per paint.
    struct SizedFont {
        QFont font;
        QFontMetricsF metrics;
    };
    const SizedFont &readable(const QFont &font, double minimumPixels, double zoom) const;

private:
    TopologyStyle();
    QPen m_pens[4][4][2]; // health x width x dashed
    QPen m_stalePens[4][2]; // width x dashed
    qint64 m_palette = 0; // the cache key of the palette it was built for
    // By font (its key) and pixel size. A std::map: the references readable() hands out stay
    // valid when later calls add sizes (a QHash moves its entries when it grows).
    mutable std::map<std::pair<QString, int>, SizedFont> m_sized;
};

} // namespace meshscope::ui
