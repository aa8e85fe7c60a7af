#pragma once

#include <QColor>

class QChart;
class QWidget;

namespace meshscope::ui::charts {

// What the rollout charts share: the palette's theme (light or dark, the widget's base colour
// behind) and the colours of the candidate, of stable and of a threshold line. Thread: GUI.
void applyTheme(QChart *chart, const QWidget *widget);
QColor candidateColour();
QColor stableColour();
QColor thresholdColour();
// The colour of the `index`th line of a chart (rate; p50, p95, p99), the same for all its runs.
QColor seriesColour(int index);

} // namespace meshscope::ui::charts
