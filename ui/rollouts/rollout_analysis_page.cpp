// The wizard's third page: what each interval's analysis checks, and when it gives up.
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QSpinBox>

#include "ui/rollouts/rollout_pages.h"

namespace meshscope::ui {
namespace {

QDoubleSpinBox *number(const char *name, double low, double high, double value, int decimals,
                       const QString &suffix, QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setObjectName(QLatin1String(name));
    box->setRange(low, high);
    box->setDecimals(decimals);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}

QSpinBox *count(const char *name, int low, int high, int value, const QString &suffix,
                QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(QLatin1String(name));
    box->setRange(low, high);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}

// A check that can be switched off: its box, then its value, on one line.
QWidget *optional(QCheckBox *on, QWidget *value, QWidget *parent)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(on);
    layout->addWidget(value, 1);
    QObject::connect(on, &QCheckBox::toggled, value, &QWidget::setEnabled);
    value->setEnabled(on->isChecked());
    return row;
}

} // namespace

AnalysisPage::AnalysisPage(QWidget *parent)
    : RolloutPage(tr("Analysis"),
                  tr("What each interval checks on the candidate's requests. A failed "
                     "interval counts towards rolling back; one with too few requests holds."),
                  parent)
    , m_minSuccess(number("minSuccessRate", 0, 100, 99, 2, tr(" %"), this))
    , m_p99On(new QCheckBox(tr("at most"), this))
    , m_maxP99(number("maxP99Ms", 0, 600000, 500, 0, tr(" ms"), this))
    , m_minRequests(count("minRequests", 0, 1000000, 20, tr(" requests"), this))
    , m_dropOn(new QCheckBox(tr("at most"), this))
    , m_maxDrop(number("maxSuccessRateDrop", 0, 100, 1, 2, tr(" points below stable"), this))
    , m_ratioOn(new QCheckBox(tr("at most"), this))
    , m_maxRatio(number("maxP99Ratio", 0, 1000, 1.5, 2, tr(" × stable's"), this))
    , m_failures(count("failureThreshold", 0, 1000, 2, tr(" failed intervals"), this))
    , m_maxHold(count("maxHold", 0, 86400, 300, tr(" s"), this))
{
    m_p99On->setObjectName(QStringLiteral("maxP99On"));
    m_p99On->setChecked(true);
    m_dropOn->setObjectName(QStringLiteral("maxSuccessRateDropOn"));
    m_ratioOn->setObjectName(QStringLiteral("maxP99RatioOn"));
    auto *form = new QFormLayout;
    form->addRow(tr("Candidate's &success rate at least:"), m_minSuccess);
    form->addRow(tr("Candidate's &p99 latency:"), optional(m_p99On, m_maxP99, this));
    form->addRow(tr("&Requests an interval needs:"), m_minRequests);
    form->addRow(tr("Roll back &after:"), m_failures);
    form->addRow(tr("Roll back when &holding longer than:"), m_maxHold);
    body()->addLayout(form);
    body()->addWidget(relativeChecks());
    for (auto *box : {m_minSuccess, m_maxP99, m_maxDrop, m_maxRatio})
        connect(box, &QDoubleSpinBox::valueChanged, this, &AnalysisPage::changed);
    for (auto *box : {m_minRequests, m_failures, m_maxHold})
        connect(box, &QSpinBox::valueChanged, this, &AnalysisPage::changed);
    for (auto *box : {m_p99On, m_dropOn, m_ratioOn})
        connect(box, &QCheckBox::toggled, this, &AnalysisPage::changed);
}

QWidget *AnalysisPage::relativeChecks()
{
    auto *box = new QGroupBox(tr("Compared with stable over the same interval"), this);
    auto *form = new QFormLayout(box);
    form->addRow(tr("Success rate:"), optional(m_dropOn, m_maxDrop, box));
    form->addRow(tr("p99 latency:"), optional(m_ratioOn, m_maxRatio, box));
    return box;
}

void AnalysisPage::writeTo(meshcore::control::RolloutSpec &spec) const
{
    auto &a = spec.analysis;
    a.minSuccessRate = m_minSuccess->value();
    a.maxP99Ms = m_p99On->isChecked() ? std::optional<double>(m_maxP99->value()) : std::nullopt;
    a.minRequests = static_cast<unsigned>(m_minRequests->value());
    a.maxSuccessRateDrop
        = m_dropOn->isChecked() ? std::optional<double>(m_maxDrop->value()) : std::nullopt;
    a.maxP99Ratio
        = m_ratioOn->isChecked() ? std::optional<double>(m_maxRatio->value()) : std::nullopt;
    a.failureThreshold = static_cast<unsigned>(m_failures->value());
    a.maxHold = std::chrono::seconds(m_maxHold->value());
}

} // namespace meshscope::ui
