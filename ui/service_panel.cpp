#include "ui/service_panel.h"

#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <map>

#include "models/edges_model.h"
#include "models/explorer_models.h"
#include "models/routes_model.h"
#include "models/workloads_model.h"
#include "ui/charts/history_charts.h"
#include "ui/charts/time_series_chart.h"
#include "ui/format.h"
#include "ui/split_editor.h"
#include "ui/table_views.h"
#include "ui/titled_group.h"
#include "ui/traffic_figures.h"

namespace meshscope::ui {
ServicePanel::ServicePanel(const models::ExplorerModels *models, QWidget *parent)
    : QWidget(parent)
    , m_models(models)
    , m_graph(models->graph())
    , m_empty(new QLabel(
          tr("Select a service in the topology (or find one with Ctrl+F) to see its traffic over "
             "the last "
             "15 minutes, its routes, who calls it, its split between versions and its processes."),
          this))
    , m_content(new QWidget(this))
    , m_title(new QLabel(m_content))
    , m_subtitle(new QLabel(m_content))
    , m_problems(new QLabel(m_content))
    , m_figures(new TrafficFigures(tr("to this service, from every caller"), m_content))
    , m_charts(new HistoryCharts(m_content))
    , m_split(new SplitEditor(m_content))
    , m_observed(new QLabel(m_content))
    , m_startRollout(new QPushButton(tr("Start &Rollout…"), m_content))
{
    static_cast<QLabel *>(m_empty)->setWordWrap(true);
    static_cast<QLabel *>(m_empty)->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);

    auto *content = new QVBoxLayout(m_content);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_title->setFont(big);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    m_subtitle->setWordWrap(true); // never wider than a narrow panel
    m_problems->setWordWrap(true);
    m_observed->setWordWrap(true);
    content->addWidget(m_title);
    content->addWidget(m_subtitle);
    content->addWidget(m_problems);

    content->addWidget(m_figures);
    content->addWidget(m_charts);
    auto *routes = sortableTable(models->routes(), m_content);
    chooseColumns(
        routes,
        {models::RoutesModel::P50, models::RoutesModel::P95, models::RoutesModel::Timeouts});
    fitHeightToRows(routes);
    content->addWidget(titledGroup(tr("Routes"), routes, m_content));
    auto *edges = sortableTable(models->edges(), m_content);
    fitHeightToRows(edges);
    content->addWidget(titledGroup(tr("Callers and callees"), edges, m_content));
    auto *splitBox = titledGroup(tr("Traffic split"), m_split, m_content);
    m_observed->setToolTip(
        tr("The share of requests each version answered over the last 30 s, from every caller"));
    splitBox->layout()->addWidget(m_observed);
    m_startRollout->setObjectName(QStringLiteral("startRollout"));
    m_startRollout->setToolTip(tr("Move traffic to another version step by step, analysing each "
                                  "step, rolling back when the analysis fails"));
    splitBox->layout()->addWidget(m_startRollout);
    connect(m_startRollout, &QPushButton::clicked, this,
            [this] { Q_EMIT rolloutRequested(m_service); });
    content->addWidget(splitBox);
    auto *workloads = sortableTable(models->workloads(), m_content);
    chooseColumns(workloads, {models::WorkloadsModel::Trend});
    fitHeightToRows(workloads);
    content->addWidget(titledGroup(tr("Workloads"), workloads, m_content));
    content->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_empty);
    layout->addWidget(m_content);
    connect(m_split, &SplitEditor::applyRequested, this, &ServicePanel::splitRequested);
    connect(models, &models::ExplorerModels::serviceChanged, this, &ServicePanel::showService);
    connect(models, &models::ExplorerModels::applied, this, &ServicePanel::showSnapshot);
    showService(models->service());
}

TimeSeriesChart *ServicePanel::rateChart() const
{
    return m_charts->rateChart();
}

void ServicePanel::showService(const QString &key)
{
    m_service = key;
    m_empty->setVisible(key.isEmpty());
    m_content->setVisible(!key.isEmpty());
    m_split->showSplit(key, nullptr);
    m_charts->showHistory(nullptr);
    updateHeader();
}

void ServicePanel::showSnapshot(const models::PollResultPtr &result)
{
    if (m_service.isEmpty() || !result)
        return;
    updateHeader();
    if (QString::fromStdString(result->focus) != m_service)
        return; // the poll was for the previous selection
    m_split->showSplit(m_service, result->split.get());
    m_charts->showHistory(m_models->history(m_service));
}

void ServicePanel::updateHeader()
{
    const auto *node = m_graph ? m_graph->node(m_service) : nullptr;
    if (!node) {
        m_title->setText(m_service);
        m_subtitle->setText(tr("Not in the topology now"));
        m_startRollout->setEnabled(false);
        m_problems->clear();
        m_figures->clear();
        return;
    }
    m_title->setText(node->name);
    QString kind = node->kind == models::GraphNode::Kind::Client ? tr("local client")
        : node->kind == models::GraphNode::Kind::Unknown
        ? tr("unknown name: no service of the mesh has it")
        : tr("service");
    m_subtitle->setText(
        tr("%1 · namespace %2 · versions %3 · %4")
            .arg(kind, node->ns.isEmpty() ? tr("–") : node->ns,
                 node->versions.isEmpty() ? tr("–") : node->versions.join(QStringLiteral(", ")),
                 models::healthName(node->health)));
    QString problems;
    for (const auto &problem : node->problems)
        problems += QStringLiteral("⚠ ") + problem.toHtmlEscaped() + QStringLiteral("<br>");
    m_problems->setText(problems);
    m_problems->setVisible(!problems.isEmpty());
    m_observed->setText(observedShares());
    m_startRollout->setEnabled(node->kind == models::GraphNode::Kind::Service
                               && node->versions.size() >= 2);
    m_figures->show(node->traffic, node->health);
}

QString ServicePanel::observedShares() const
{
    if (!m_graph)
        return {};
    std::map<std::string, std::int64_t> requests;
    std::int64_t total = 0;
    for (const auto &edge : m_graph->edges())
        if (edge.target == m_service)
            for (const auto &version : edge.versions) {
                requests[version.version] += version.traffic.requests;
                total += version.traffic.requests;
            }
    if (total == 0)
        return tr("Observed: no requests in the last 30 s.");
    QStringList parts;
    for (const auto &[version, count] : requests)
        parts << QStringLiteral("%1 %2").arg(
            QString::fromStdString(version),
            humanPercent(static_cast<double>(count) / static_cast<double>(total)));
    return tr("Observed over the last 30 s: %1").arg(parts.join(QStringLiteral(" · ")));
}

} // namespace meshscope::ui
