#include "ui/edge_panel.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "models/edge_versions_model.h"
#include "models/explorer_models.h"
#include "models/mesh_graph.h"
#include "models/routes_model.h"
#include "ui/charts/history_charts.h"
#include "ui/table_views.h"
#include "ui/titled_group.h"
#include "ui/traffic_figures.h"

namespace meshscope::ui {
EdgePanel::EdgePanel(const models::ExplorerModels *models, QWidget *parent)
    : QWidget(parent)
    , m_models(models)
    , m_empty(new QLabel(tr("Click an edge of the topology to see the traffic between two "
                            "services."),
                         this))
    , m_content(new QWidget(this))
    , m_title(new QLabel(m_content))
    , m_security(new QLabel(m_content))
    , m_figures(new TrafficFigures(tr("on this edge"), m_content))
    , m_charts(new HistoryCharts(m_content))
    , m_caller(new QPushButton(m_content))
    , m_callee(new QPushButton(m_content))
{
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    auto *content = new QVBoxLayout(m_content);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_title->setFont(big);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_security->setWordWrap(true);
    m_security->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_security->setObjectName(QStringLiteral("edgeSecurity"));
    content->addWidget(m_title);
    content->addWidget(m_security);
    auto *open = new QHBoxLayout;
    m_caller->setObjectName(QStringLiteral("openCaller"));
    m_callee->setObjectName(QStringLiteral("openCallee"));
    open->addWidget(m_caller);
    open->addWidget(m_callee);
    open->addStretch();
    content->addLayout(open);
    content->addWidget(m_figures);
    content->addWidget(m_charts);
    auto *versions = sortableTable(models->edgeVersions(), m_content);
    versions->setObjectName(QStringLiteral("edgeVersions"));
    chooseColumns(versions, {models::EdgeVersionsModel::Rate});
    fitHeightToRows(versions);
    content->addWidget(titledGroup(tr("Versions of the callee"), versions, m_content));
    auto *routes = sortableTable(models->edgeRoutes(), m_content);
    routes->setObjectName(QStringLiteral("edgeRoutes"));
    chooseColumns(
        routes,
        {models::RoutesModel::P50, models::RoutesModel::P95, models::RoutesModel::Timeouts});
    fitHeightToRows(routes);
    content->addWidget(titledGroup(tr("Routes (this caller's requests)"), routes, m_content));
    content->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_empty);
    layout->addWidget(m_content);
    connect(m_caller, &QPushButton::clicked, this, [this] {
        if (m_models->graph()->edges().contains(m_edge))
            Q_EMIT serviceRequested(m_models->graph()->edges().value(m_edge).source);
    });
    connect(m_callee, &QPushButton::clicked, this, [this] {
        if (m_models->graph()->edges().contains(m_edge))
            Q_EMIT serviceRequested(m_models->graph()->edges().value(m_edge).target);
    });
    connect(models, &models::ExplorerModels::edgeChanged, this, &EdgePanel::showEdge);
    connect(models, &models::ExplorerModels::applied, this, &EdgePanel::showSnapshot);
    showEdge(models->edge());
}

void EdgePanel::showEdge(const QString &key)
{
    m_edge = key;
    m_empty->setVisible(key.isEmpty());
    m_content->setVisible(!key.isEmpty());
    m_charts->showHistory(nullptr);
    updateHeader();
}

void EdgePanel::showSnapshot(const models::PollResultPtr &result)
{
    if (m_edge.isEmpty() || !result)
        return;
    updateHeader();
    if (QString::fromStdString(result->focus) == m_edge)
        m_charts->showHistory(m_models->history(m_edge));
}

QString EdgePanel::title() const
{
    return m_title->text();
}

QString EdgePanel::security() const
{
    return m_security->text();
}

QString EdgePanel::securityText(const models::GraphEdge &edge) const
{
    if (!edge.targetMeshed)
        return tr("⚠ %1 is a name no service has: the caller's proxy answers 503 and sends "
                  "nothing.")
            .arg(edge.target);
    if (!edge.mtls)
        return tr("⚠ Plaintext: these requests are not over mTLS.");
    return tr("mTLS between the two proxies.\nCaller: %1\nCallee: %2")
        .arg(edge.sourceIdentity, edge.targetIdentity);
}

void EdgePanel::updateHeader()
{
    const auto &edges = m_models->graph()->edges();
    const auto it = edges.constFind(m_edge);
    if (it == edges.constEnd()) {
        const QStringList ends = m_edge.split(QLatin1Char('>'));
        m_title->setText(ends.join(QStringLiteral(" → ")));
        m_security->setText(tr("No traffic between these two now."));
        m_figures->clear();
        m_caller->setEnabled(false);
        m_callee->setEnabled(false);
        return;
    }
    const auto *source = m_models->graph()->node(it->source);
    const auto *target = m_models->graph()->node(it->target);
    const QString from = source ? source->name : it->source;
    const QString to = target ? target->name : it->target;
    m_title->setText(tr("%1 → %2").arg(from, to));
    m_security->setText(securityText(*it));
    m_figures->show(it->traffic, it->health);
    // Short, so that a narrow panel holds both: the title already names them.
    m_caller->setText(tr("Open the Caller"));
    m_callee->setText(tr("Open the Callee"));
    m_caller->setToolTip(tr("Select %1 and show its panel").arg(from));
    m_callee->setToolTip(tr("Select %1 and show its panel").arg(to));
    m_caller->setEnabled(source != nullptr);
    m_callee->setEnabled(target != nullptr);
}

} // namespace meshscope::ui
