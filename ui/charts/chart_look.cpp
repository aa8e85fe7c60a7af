#include "ui/charts/chart_look.h"

#include <QChart>
#include <QWidget>

#include "ui/colour_scheme.h"

namespace meshscope::ui::charts {

void applyTheme(QChart *chart, const QWidget *widget)
{
    const bool dark = widget->palette().color(QPalette::Window).lightness() < 128;
    const QString title = chart->title();
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(widget->palette().brush(QPalette::Base));
    chart->setTitle(title);
}

QColor candidateColour()
{
    return colours::dark() ? QColor(0xfc, 0xad, 0x70) : QColor(0xe8, 0x71, 0x0a);
}

QColor stableColour()
{
    return colours::dark() ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x73, 0xe8);
}

QColor thresholdColour()
{
    return colours::health(models::Health::Failing);
}

QColor seriesColour(int index)
{
    switch (index % 3) {
    case 0:
        return stableColour();
    case 1:
        return candidateColour();
    default:
        return colours::dark() ? QColor(0xf2, 0x8b, 0x82) : QColor(0xc5, 0x22, 0x1f);
    }
}

} // namespace meshscope::ui::charts
