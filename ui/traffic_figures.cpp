#include "ui/traffic_figures.h"

#include <QGridLayout>
#include <QLabel>

#include <algorithm>

#include "ui/colour_scheme.h"
#include "ui/format.h"

namespace meshscope::ui {

TrafficFigures::TrafficFigures(const QString &scope, QWidget *parent)
    : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(12);
    const QStringList names = {tr("Rate"), tr("Success"), tr("p50"), tr("p95"), tr("p99")};
    const QStringList tips = {
        tr("Requests per second %1 over the last 30 s").arg(scope),
        tr("Share of the requests %1 that did not end in a 5xx (the proxies' own answers "
           "included)")
            .arg(scope),
        tr("Median latency of the requests %1 over the last 30 s, as the callers' proxies "
           "measured it")
            .arg(scope),
        tr("95th percentile latency of the requests %1 over the last 30 s").arg(scope),
        tr("99th percentile latency of the requests %1 over the last 30 s").arg(scope),
    };
    for (int i = 0; i < 5; ++i) {
        auto *name = m_names[i] = new QLabel(names[i], this);
        name->setForegroundRole(QPalette::PlaceholderText);
        m_figures[i] = new QLabel(QStringLiteral("–"), this);
        QFont figureFont = m_figures[i]->font();
        figureFont.setPointSizeF(figureFont.pointSizeF() * 1.3);
        m_figures[i]->setFont(figureFont);
        name->setToolTip(tips[i]);
        m_figures[i]->setToolTip(tips[i]);
    }
    arrange(5);
}

void TrafficFigures::arrange(int perRow)
{
    if (perRow == m_perRow)
        return;
    m_perRow = perRow;
    auto *grid = static_cast<QGridLayout *>(layout());
    for (int i = 0; i < 5; ++i) {
        grid->removeWidget(m_names[i]);
        grid->removeWidget(m_figures[i]);
    }
    for (int i = 0; i < 5; ++i) {
        // One row of five; or rate and success, then the three latencies below.
        const int row = perRow == 5 || i < 2 ? 0 : 2;
        const int column = perRow == 5 || i < 2 ? i : i - 2;
        grid->addWidget(m_names[i], row, column);
        grid->addWidget(m_figures[i], row + 1, column);
    }
}

int TrafficFigures::oneRowWidth() const
{
    int width = 4 * 12;
    for (int i = 0; i < 5; ++i)
        width += std::max(m_names[i]->sizeHint().width(),
                          m_figures[i]->fontMetrics().horizontalAdvance(QStringLiteral("999 ms")));
    return width;
}

void TrafficFigures::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    arrange(width() >= oneRowWidth() ? 5 : 3);
}

void TrafficFigures::show(const meshcore::admin::TrafficFigures &t, models::Health health)
{
    m_figures[0]->setText(humanRps(t.rps));
    m_figures[1]->setText(humanPercent(t.successRate));
    m_figures[2]->setText(t.requests ? humanMs(t.p50Ms) : QStringLiteral("–"));
    m_figures[3]->setText(t.requests ? humanMs(t.p95Ms) : QStringLiteral("–"));
    m_figures[4]->setText(t.requests ? humanMs(t.p99Ms) : QStringLiteral("–"));
    QPalette palette = m_figures[1]->palette();
    palette.setColor(QPalette::WindowText, colours::health(health));
    m_figures[1]->setPalette(palette);
}

void TrafficFigures::clear()
{
    for (auto *figure : m_figures)
        figure->setText(QStringLiteral("–"));
}

QString TrafficFigures::text(int figure) const
{
    return figure >= 0 && figure < 5 ? m_figures[figure]->text() : QString();
}

} // namespace meshscope::ui
