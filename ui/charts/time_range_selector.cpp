#include "ui/charts/time_range_selector.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QHBoxLayout>
#include <QToolButton>

namespace meshscope::ui {

TimeRangeSelector::TimeRangeSelector(QWidget *parent, int seconds)
    : QWidget(parent)
    , m_buttons(new QButtonGroup(this))
    , m_seconds(Ranges[1])
{
    setObjectName(QStringLiteral("timeRange"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    const QStringList labels = {tr("5 m"), tr("15 m"), tr("1 h")};
    const QStringList tips
        = {tr("The last 5 minutes, in 10-second points"),
           tr("The last 15 minutes, in 10-second points"), tr("The last hour, in 1-minute points")};
    for (int i = 0; i < 3; ++i) {
        auto *button = new QToolButton(this);
        button->setText(labels[i]);
        button->setToolTip(tips[i]);
        button->setCheckable(true);
        button->setAutoRaise(false);
        m_buttons->addButton(button, Ranges[i]);
        layout->addWidget(button);
    }
    m_buttons->setExclusive(true);
    setRangeSeconds(seconds);
    connect(m_buttons, &QButtonGroup::idClicked, this, [this](int chosen) {
        if (chosen == m_seconds)
            return;
        m_seconds = chosen;
        Q_EMIT rangeChanged(chosen);
    });
}

void TimeRangeSelector::setRangeSeconds(int seconds)
{
    auto *button = m_buttons->button(seconds);
    if (!button)
        return;
    m_seconds = seconds;
    button->setChecked(true);
}

} // namespace meshscope::ui
