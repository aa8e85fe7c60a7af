#pragma once

#include <QWidget>

#include "models/health.h"

namespace meshscope::ui {

// What the topology's colours and symbols mean, drawn with the topology's own style: health
// colours, the mTLS lock, the warning mark, dashed plaintext, width by rate, moving dots, and the
// rollout badge. Thread: GUI.
class GraphLegend : public QWidget {
    Q_OBJECT
public:
    explicit GraphLegend(QWidget *parent = nullptr);
    // Where health turns orange and red (the settings): the legend says the numbers.
    void setThresholds(const models::HealthThresholds &thresholds);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    // The entries' count per row at `width`, and the rows they take.
    int columnsFor(int width) const;
    QString textOf(std::size_t entry) const;

    models::HealthThresholds m_thresholds;
};

} // namespace meshscope::ui
