#include "ui/service_panel.h"

#include <QFormLayout>
#include <QGridLayout>
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
#include "ui/charts/time_series_chart.h"
#include "ui/colour_scheme.h"
#include "ui/format.h"
#include "ui/split_editor.h"
#include "ui/table_views.h"

namespace meshscope::ui {
namespace {

QGroupBox *group(const QString &title, QWidget *content, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(content);
    return box;
}

} // namespace

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
    , m_rate(
          new TimeSeriesChart(tr("Request rate"), tr("rps"), {tr("requests/s")}, false, m_content))
    , m_success(new TimeSeriesChart(tr("Success rate"), tr("%"), {tr("success")}, true, m_content))
    , m_latency(new TimeSeriesChart(tr("Latency"), tr("ms"), {tr("p50"), tr("p95"), tr("p99")},
                                    false, m_content))
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
    m_problems->setWordWrap(true);
    content->addWidget(m_title);
    content->addWidget(m_subtitle);
    content->addWidget(m_problems);

    content->addLayout(goldenFigures());
    content->addWidget(m_rate);
    content->addWidget(m_success);
    content->addWidget(m_latency);
    content->addWidget(group(tr("Routes"), sortableTable(models->routes(), m_content), m_content));
    content->addWidget(
        group(tr("Callers and callees"), sortableTable(models->edges(), m_content), m_content));
    auto *splitBox = group(tr("Traffic split"), m_split, m_content);
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
    content->addWidget(
        group(tr("Workloads"), sortableTable(models->workloads(), m_content), m_content));
    content->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_empty);
    layout->addWidget(m_content);
    connect(m_split, &SplitEditor::applyRequested, this, &ServicePanel::splitRequested);
    connect(models, &models::ExplorerModels::serviceChanged, this, &ServicePanel::showService);
    connect(models, &models::ExplorerModels::applied, this, &ServicePanel::showSnapshot);
    showService(models->service());
}

// The golden metrics now, each under its name and saying what it measures.
QGridLayout *ServicePanel::goldenFigures()
{
    auto *figures = new QGridLayout;
    const QStringList names = {tr("Rate"), tr("Success"), tr("p50"), tr("p95"), tr("p99")};
    const QStringList tips = {
        tr("Requests per second to this service over the last 30 s, from every caller"),
        tr("Share of those requests that did not end in a 5xx (the proxies' own answers included)"),
        tr("Median latency over the last 30 s, as the callers' proxies measured it"),
        tr("95th percentile latency over the last 30 s"),
        tr("99th percentile latency over the last 30 s"),
    };
    for (int i = 0; i < 5; ++i) {
        auto *name = new QLabel(names[i], m_content);
        name->setForegroundRole(QPalette::PlaceholderText);
        m_figures[i] = new QLabel(QStringLiteral("–"), m_content);
        QFont figureFont = m_figures[i]->font();
        figureFont.setPointSizeF(figureFont.pointSizeF() * 1.3);
        m_figures[i]->setFont(figureFont);
        name->setToolTip(tips[i]);
        m_figures[i]->setToolTip(tips[i]);
        figures->addWidget(name, 0, i);
        figures->addWidget(m_figures[i], 1, i);
    }
    return figures;
}

void ServicePanel::showService(const QString &key)
{
    m_service = key;
    m_empty->setVisible(key.isEmpty());
    m_content->setVisible(!key.isEmpty());
    m_split->showSplit(key, nullptr);
    showHistory(nullptr);
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
    showHistory(result->history.get());
}

void ServicePanel::updateHeader()
{
    const auto *node = m_graph ? m_graph->node(m_service) : nullptr;
    if (!node) {
        m_title->setText(m_service);
        m_subtitle->setText(tr("Not in the topology now"));
        m_startRollout->setEnabled(false);
        m_problems->clear();
        for (auto *figure : m_figures)
            figure->setText(QStringLiteral("–"));
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
    const auto &t = node->traffic;
    m_figures[0]->setText(humanRps(t.rps));
    m_figures[1]->setText(humanPercent(t.successRate));
    m_figures[2]->setText(t.requests ? humanMs(t.p50Ms) : QStringLiteral("–"));
    m_figures[3]->setText(t.requests ? humanMs(t.p95Ms) : QStringLiteral("–"));
    m_figures[4]->setText(t.requests ? humanMs(t.p99Ms) : QStringLiteral("–"));
    QPalette palette = m_figures[1]->palette();
    palette.setColor(QPalette::WindowText, colours::health(node->health));
    m_figures[1]->setPalette(palette);
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

void ServicePanel::showHistory(const meshcore::admin::ServiceHistory *history)
{
    QList<QPointF> rate;
    QList<QPointF> success;
    QList<QPointF> p50;
    QList<QPointF> p95;
    QList<QPointF> p99;
    if (history)
        for (const auto &point : history->points) {
            const double x = static_cast<double>(point.timeUnix) * 1000.0;
            rate.append({x, point.traffic.rps});
            if (point.traffic.requests == 0)
                continue; // no requests: no success rate, no latency
            success.append({x, point.traffic.successRate.value_or(1.0) * 100});
            p50.append({x, point.traffic.p50Ms});
            p95.append({x, point.traffic.p95Ms});
            p99.append({x, point.traffic.p99Ms});
        }
    m_rate->setPoints(0, rate);
    m_success->setPoints(0, success);
    m_latency->setPoints(0, p50);
    m_latency->setPoints(1, p95);
    m_latency->setPoints(2, p99);
    // The same time axis for all three: the 15 minutes of the history.
    const double from = rate.isEmpty() ? 0 : rate.first().x();
    const double to = rate.isEmpty() ? 0 : rate.last().x();
    m_rate->rescale(from, to);
    m_success->rescale(from, to);
    m_latency->rescale(from, to);
}

} // namespace meshscope::ui
