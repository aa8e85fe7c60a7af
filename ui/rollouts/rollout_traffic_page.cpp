// The wizard's fourth page: the requests meshd itself sends to the candidate.
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

#include "ui/rollouts/rollout_pages.h"

namespace meshscope::ui {

TrafficPage::TrafficPage(QWidget *parent)
    : RolloutPage(tr("Analysis traffic"),
                  tr("Requests meshd sends to the candidate itself, so that a quiet mesh still "
                     "gives the analysis something to judge. They never count in the golden "
                     "metrics."),
                  parent)
    , m_enabled(new QCheckBox(tr("Send &analysis traffic to the candidate"), this))
    , m_whenIdle(new QCheckBox(tr("Only &when an interval held for too few requests"), this))
    , m_rps(new QDoubleSpinBox(this))
    , m_paths(new QLineEdit(QStringLiteral("/"), this))
{
    m_enabled->setObjectName(QStringLiteral("trafficEnabled"));
    m_whenIdle->setObjectName(QStringLiteral("trafficWhenIdle"));
    m_rps->setObjectName(QStringLiteral("trafficRps"));
    m_rps->setRange(0, 1000);
    m_rps->setDecimals(1);
    m_rps->setValue(10);
    m_rps->setSuffix(tr(" requests/s"));
    m_paths->setObjectName(QStringLiteral("trafficPaths"));
    m_paths->setToolTip(tr("The paths meshd asks for, in turn, separated by spaces"));
    auto *form = new QFormLayout;
    form->addRow(m_enabled);
    form->addRow(m_whenIdle);
    form->addRow(tr("&Rate:"), m_rps);
    form->addRow(tr("&Paths:"), m_paths);
    body()->addLayout(form);
    const auto enable = [this] {
        for (QWidget *field : {static_cast<QWidget *>(m_whenIdle), static_cast<QWidget *>(m_rps),
                               static_cast<QWidget *>(m_paths)})
            field->setEnabled(m_enabled->isChecked());
        changed();
    };
    connect(m_enabled, &QCheckBox::toggled, this, enable);
    connect(m_whenIdle, &QCheckBox::toggled, this, &TrafficPage::changed);
    connect(m_rps, &QDoubleSpinBox::valueChanged, this, &TrafficPage::changed);
    connect(m_paths, &QLineEdit::textChanged, this, &TrafficPage::changed);
    enable();
}

void TrafficPage::suggestFor(meshcore::control::RolloutStrategy strategy)
{
    if (strategy == meshcore::control::RolloutStrategy::BlueGreen) {
        m_enabled->setChecked(true);
        m_whenIdle->setChecked(false);
    }
}

void TrafficPage::writeTo(meshcore::control::RolloutSpec &spec) const
{
    auto &t = spec.traffic;
    t.enabled = m_enabled->isChecked();
    t.whenIdle = m_whenIdle->isChecked();
    t.rps = m_rps->value();
    t.paths.clear();
    for (const auto &path : m_paths->text().split(QLatin1Char(' '), Qt::SkipEmptyParts))
        t.paths.push_back(path.toStdString());
}

} // namespace meshscope::ui
