// The wizard's second page: canary, blue/green or A/B, its steps and interval, and the plan drawn.
#include <QButtonGroup>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSpinBox>

#include "models/rollout_schedule.h"
#include "models/rollout_text.h"
#include "ui/charts/step_chart.h"
#include "ui/rollouts/rollout_pages.h"

namespace meshscope::ui {
namespace {

using meshcore::control::RolloutStrategy;

QSpinBox *spin(const char *name, int low, int high, int value, const QString &suffix,
               QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(QLatin1String(name));
    box->setRange(low, high);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}

} // namespace

StrategyPage::StrategyPage(QWidget *parent)
    : RolloutPage(tr("How"),
                  tr("Each interval's analysis decides the next step. The chart shows the "
                     "candidate's share if every interval passes."),
                  parent)
    , m_canary(new QRadioButton(tr("Ca&nary: a growing share of all requests"), this))
    , m_blueGreen(
          new QRadioButton(tr("&Blue/green: only analysis traffic, then all at once"), this))
    , m_ab(new QRadioButton(tr("&A/B: requests with a header or cookie, then all"), this))
    , m_step(spin("stepWeight", 1, 100, 10, tr(" %"), this))
    , m_max(spin("maxWeight", 1, 100, 50, tr(" %"), this))
    , m_iterations(spin("iterations", 1, 1000, 5, tr(" intervals"), this))
    , m_interval(spin("interval", 1, 86400, 30, tr(" s"), this))
    , m_matchKind(new QComboBox(this))
    , m_matchName(new QLineEdit(this))
    , m_matchValue(new QLineEdit(this))
    , m_chart(new StepChart(tr("Candidate's share if every interval passes"),
                            StepChart::Axis::Elapsed, this))
    , m_duration(new QLabel(this))
{
    body()->addWidget(strategyChoice());
    body()->addWidget(stepFields());
    body()->addWidget(m_chart);
    body()->addWidget(m_duration);
    m_chart->setMinimumHeight(190);
    showStrategy();
}

QWidget *StrategyPage::strategyChoice()
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *group = new QButtonGroup(box);
    m_canary->setObjectName(QStringLiteral("canary"));
    m_blueGreen->setObjectName(QStringLiteral("blueGreen"));
    m_ab->setObjectName(QStringLiteral("ab"));
    for (auto *button : {m_canary, m_blueGreen, m_ab}) {
        group->addButton(button);
        layout->addWidget(button);
    }
    m_canary->setChecked(true);
    connect(group, &QButtonGroup::buttonToggled, this, [this](QAbstractButton *, bool on) {
        if (!on)
            return;
        showStrategy();
        Q_EMIT strategyPicked(strategy());
    });
    return box;
}

QWidget *StrategyPage::stepFields()
{
    auto *fields = new QWidget(this);
    auto *form = new QFormLayout(fields);
    form->setContentsMargins(0, 0, 0, 0);
    m_canaryFields = new QWidget(fields);
    auto *canary = new QHBoxLayout(m_canaryFields);
    canary->setContentsMargins(0, 0, 0, 0);
    canary->addWidget(new QLabel(tr("step"), m_canaryFields));
    canary->addWidget(m_step);
    canary->addWidget(new QLabel(tr("up to"), m_canaryFields));
    canary->addWidget(m_max);
    canary->addStretch();
    m_matchFields = new QWidget(fields);
    auto *match = new QHBoxLayout(m_matchFields);
    match->setContentsMargins(0, 0, 0, 0);
    m_matchKind->setObjectName(QStringLiteral("matchKind"));
    m_matchKind->addItems({tr("header"), tr("cookie")});
    m_matchName->setObjectName(QStringLiteral("matchName"));
    m_matchName->setPlaceholderText(tr("name, e.g. x-beta"));
    m_matchValue->setObjectName(QStringLiteral("matchValue"));
    m_matchValue->setPlaceholderText(tr("value (empty: any)"));
    match->addWidget(m_matchKind);
    match->addWidget(m_matchName, 1);
    match->addWidget(m_matchValue, 1);
    form->addRow(tr("Candidate's &weight:"), m_canaryFields);
    form->addRow(tr("&Passing intervals:"), m_iterations);
    form->addRow(tr("&Requests with:"), m_matchFields);
    form->addRow(tr("&Interval:"), m_interval);
    for (auto *box : {m_step, m_max, m_iterations, m_interval})
        connect(box, &QSpinBox::valueChanged, this, &StrategyPage::changed);
    connect(m_matchKind, &QComboBox::currentIndexChanged, this, &StrategyPage::changed);
    connect(m_matchName, &QLineEdit::textChanged, this, &StrategyPage::changed);
    connect(m_matchValue, &QLineEdit::textChanged, this, &StrategyPage::changed);
    return fields;
}

RolloutStrategy StrategyPage::strategy() const
{
    return m_blueGreen->isChecked() ? RolloutStrategy::BlueGreen
        : m_ab->isChecked()         ? RolloutStrategy::AB
                                    : RolloutStrategy::Canary;
}

void StrategyPage::showStrategy()
{
    const auto picked = strategy();
    m_step->setEnabled(picked == RolloutStrategy::Canary);
    m_max->setEnabled(picked == RolloutStrategy::Canary);
    m_iterations->setEnabled(picked != RolloutStrategy::Canary);
    m_matchFields->setEnabled(picked == RolloutStrategy::AB);
    changed();
}

void StrategyPage::writeTo(meshcore::control::RolloutSpec &spec) const
{
    spec.strategy = strategy();
    spec.stepWeight = static_cast<unsigned>(m_step->value());
    spec.maxWeight = static_cast<unsigned>(m_max->value());
    spec.iterations = static_cast<unsigned>(m_iterations->value());
    spec.interval = std::chrono::seconds(m_interval->value());
    spec.match.reset();
    if (spec.strategy == RolloutStrategy::AB) {
        meshcore::control::RequestMatch match;
        match.kind = m_matchKind->currentIndex() == 1
            ? meshcore::control::RequestMatch::Kind::Cookie
            : meshcore::control::RequestMatch::Kind::Header;
        match.name = m_matchName->text().trimmed().toStdString();
        match.value = m_matchValue->text().trimmed().toStdString();
        spec.match = match;
    }
}

void StrategyPage::showPlan(const meshcore::control::RolloutSpec &spec)
{
    m_chart->setSteps(models::plannedWeights(spec));
    m_duration->setText(tr("Promoted after about <b>%1</b> if every interval passes.")
                            .arg(models::durationText(meshcore::control::predictedDuration(spec))));
}

} // namespace meshscope::ui
