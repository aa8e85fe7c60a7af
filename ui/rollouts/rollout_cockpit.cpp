#include "ui/rollouts/rollout_cockpit.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "models/explorer_models.h"
#include "models/rollout_events_model.h"
#include "models/rollout_intervals_model.h"
#include "models/rollout_schedule.h"
#include "models/rollout_text.h"
#include "models/rollouts_model.h"
#include "ui/charts/interval_chart.h"
#include "ui/charts/step_chart.h"
#include "ui/colour_scheme.h"
#include "ui/rollouts/rollout_action_bar.h"
#include "ui/table_views.h"

namespace meshscope::ui {
namespace {

QLabel *emptyText(QWidget *parent)
{
    auto *label = new QLabel(
        QObject::tr("No rollout yet. Start one with Rollouts ▸ Start a Rollout…, with the "
                    "button below, or from a service with two versions (its panel, or its card's "
                    "menu in the topology)."),
        parent);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignCenter);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

RolloutCockpit::RolloutCockpit(models::ExplorerModels *models, QWidget *parent)
    : QWidget(parent)
    , m_models(models)
    , m_stack(new QStackedWidget(this))
    , m_title(new QLabel(this))
    , m_state(new QLabel(this))
    , m_plan(new QLabel(this))
    , m_reason(new QLabel(this))
    , m_answer(new QLabel(this))
    , m_actions(new RolloutActionBar(this))
    , m_start(new QPushButton(tr("&Start a Rollout…"), this))
    , m_fault(new QPushButton(tr("Break…"), this))
    , m_weight(new StepChart(tr("Candidate's weight"), StepChart::Axis::Clock, this))
    , m_success(new IntervalChart(tr("Success rate per interval"), tr("%"), true, this))
    , m_p99(new IntervalChart(tr("p99 latency per interval"), tr("ms"), false, this))
    , m_history(sortableTable(models->rollouts(), this))
{
    auto *empty = new QWidget(this);
    auto *emptyLayout = new QVBoxLayout(empty);
    emptyLayout->addWidget(emptyText(empty));
    auto *startFromEmpty = new QPushButton(tr("Start a Rollout…"), empty);
    emptyLayout->addWidget(startFromEmpty, 0, Qt::AlignCenter);
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(header());
    layout->addWidget(charts(), 3);
    layout->addWidget(tables(), 2);
    m_stack->addWidget(empty);
    m_stack->addWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);

    connect(startFromEmpty, &QPushButton::clicked, this, [this] { Q_EMIT startRequested({}); });
    connect(m_start, &QPushButton::clicked, this, [this] {
        const auto *status = m_models->selectedRollout();
        Q_EMIT startRequested(status ? models::rolloutService(*status) : QString());
    });
    connect(m_actions, &RolloutActionBar::actionRequested, this, &RolloutCockpit::actionRequested);
    connect(models, &models::ExplorerModels::applied, this,
            [this](const models::PollResultPtr &result) {
                if (result && result->faults)
                    m_faults = *result->faults;
                showRollout();
            });
    connect(m_fault, &QPushButton::clicked, this, &RolloutCockpit::breakCandidate);
    connect(models, &models::ExplorerModels::rolloutChanged, this, [this] {
        m_answer->clear();
        m_answer->hide();
        showRollout();
    });
    connect(m_history, &QTableView::clicked, this, [this](const QModelIndex &index) {
        const auto *proxy = static_cast<const QSortFilterProxyModel *>(m_history->model());
        if (const auto *row = m_models->rollouts()->rowAt(proxy->mapToSource(index).row()))
            m_models->setRollout(row->id);
    });
    showRollout();
}

QWidget *RolloutCockpit::header()
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_title->setFont(big);
    m_title->setObjectName(QStringLiteral("rolloutTitle"));
    m_state->setObjectName(QStringLiteral("rolloutState"));
    m_state->setWordWrap(true);
    m_plan->setForegroundRole(QPalette::PlaceholderText);
    m_plan->setWordWrap(true);
    m_reason->setObjectName(QStringLiteral("rolloutReason"));
    m_reason->setWordWrap(true);
    m_answer->setObjectName(QStringLiteral("rolloutAnswer"));
    m_answer->setWordWrap(true);
    m_answer->hide();
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_start);
    layout->addLayout(top);
    layout->addWidget(m_state);
    layout->addWidget(m_plan);
    layout->addWidget(m_reason);
    m_fault->setObjectName(QStringLiteral("rollout-fault"));
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_actions, 1);
    actions->addWidget(m_fault);
    layout->addLayout(actions);
    layout->addWidget(m_answer);
    return box;
}

QWidget *RolloutCockpit::charts()
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget *chart : {static_cast<QWidget *>(m_weight), static_cast<QWidget *>(m_success),
                           static_cast<QWidget *>(m_p99)}) {
        chart->setMinimumWidth(200);
        layout->addWidget(chart, 1);
    }
    return row;
}

QTabWidget *RolloutCockpit::tables()
{
    auto *tabs = new QTabWidget(this);
    auto *intervals = sortableTable(m_models->rolloutIntervals(), tabs);
    intervals->sortByColumn(models::RolloutIntervalsModel::Index, Qt::DescendingOrder);
    auto *events = sortableTable(m_models->rolloutEvents(), tabs);
    events->sortByColumn(models::RolloutEventsModel::Time, Qt::DescendingOrder);
    tabs->addTab(intervals, tr("Intervals"));
    tabs->addTab(events, tr("Events"));
    tabs->addTab(m_history, tr("All Rollouts"));
    m_history->setToolTip(tr("Every rollout meshd keeps (the last 10 of each service): pick one "
                             "to show it"));
    return tabs;
}

void RolloutCockpit::showRollout()
{
    const auto *status = m_models->selectedRollout();
    m_stack->setCurrentIndex(status ? 1 : 0);
    const bool current = m_models->selectedIsCurrent();
    m_actions->showRollout(status, current);
    if (!status)
        return;
    showHeader(*status, current);
    showCharts(*status);
    if (const int row = m_models->rollouts()->rowOf(m_models->rollout()); row >= 0) {
        const auto *proxy = static_cast<const QSortFilterProxyModel *>(m_history->model());
        const auto index = proxy->mapFromSource(m_models->rollouts()->index(row, 0));
        if (m_history->currentIndex().row() != index.row())
            m_history->selectRow(index.row());
    }
}

void RolloutCockpit::showCharts(const meshcore::rollout::RolloutStatus &status)
{
    using models::IntervalFigure;
    m_weight->setSteps(models::weightHistory(status, QDateTime::currentSecsSinceEpoch()));
    m_success->setPoints(models::intervalFigures(status, true, IntervalFigure::SuccessRate),
                         models::intervalFigures(status, false, IntervalFigure::SuccessRate));
    m_success->setThreshold(status.spec.analysis.minSuccessRate);
    m_p99->setPoints(models::intervalFigures(status, true, IntervalFigure::P99),
                     models::intervalFigures(status, false, IntervalFigure::P99));
    m_p99->setThreshold(status.spec.analysis.maxP99Ms);
}

QString RolloutCockpit::title() const
{
    int active = 0;
    for (const auto &row : m_models->rollouts()->rows())
        active += meshcore::rollout::isActive(row.status.phase) ? 1 : 0;
    return active ? tr("Rollouts (%1 active)").arg(active) : tr("Rollouts");
}

void RolloutCockpit::showAnswer(const QString &action, bool ok, const QString &message)
{
    QPalette palette = m_answer->palette();
    palette.setColor(QPalette::WindowText,
                     ok ? this->palette().color(QPalette::WindowText)
                        : colours::health(models::Health::Failing));
    m_answer->setPalette(palette);
    m_answer->setVisible(!message.isEmpty());
    m_answer->setText(
        ok ? message
           : tr("<b>meshd refused %1:</b> %2")
                 .arg(QString(action).remove(QStringLiteral("rollout-")), message.toHtmlEscaped()));
}

} // namespace meshscope::ui
