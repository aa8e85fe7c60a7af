#include "ui/mesh_overview_page.h"

#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

#include "models/certificates_model.h"
#include "models/explorer_models.h"
#include "models/mesh_graph.h"
#include "models/services_model.h"
#include "ui/format.h"
#include "ui/graph_legend.h"
#include "ui/table_views.h"

namespace meshscope::ui {

MeshOverviewPage::MeshOverviewPage(const models::ExplorerModels *models, QWidget *parent)
    : QWidget(parent)
    , m_models(models)
    , m_summary(new QLabel(this))
    , m_table(sortableTable(models->services(), this))
    , m_legend(new GraphLegend(this))
{
    auto *layout = new QVBoxLayout(this);
    auto *title = new QLabel(tr("Mesh overview"), this);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    title->setFont(big);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setObjectName(QStringLiteral("meshSummary"));
    layout->addWidget(title);
    layout->addWidget(m_summary);
    m_table->setObjectName(QStringLiteral("servicesTable"));
    m_table->setToolTip(tr("Click a service to select it; click a column's title to sort"));
    // Long names give way (elided, whole in the tooltip) so the figures and checks fit.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(models::ServicesModel::Name,
                                                      QHeaderView::Interactive);
    m_table->setTextElideMode(Qt::ElideRight);
    // Every column at its contents' width (none stretched), so the name's room is what is left.
    m_table->horizontalHeader()->setStretchLastSection(false);
    // The name is coloured by health: the Health column starts hidden, as does the namespace
    // while the mesh has only one (right-click the header for either).
    chooseColumns(m_table, {models::ServicesModel::Health});
    layout->addWidget(m_table, 1);
    auto *legendBox = new QGroupBox(tr("Legend"), this);
    auto *legendLayout = new QVBoxLayout(legendBox);
    legendLayout->addWidget(m_legend);
    auto *hint = new QLabel(tr("Click a card for its service, an edge for the traffic between two "
                               "services; arrow keys move between cards, Enter opens one."),
                            legendBox);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    legendLayout->addWidget(hint);
    layout->addWidget(legendBox);
    connect(m_table, &QTableView::clicked, this, [this](const QModelIndex &index) {
        const auto *proxy = static_cast<const QSortFilterProxyModel *>(m_table->model());
        if (const auto *row = m_models->services()->rowAt(proxy->mapToSource(index).row()))
            Q_EMIT serviceActivated(row->key());
    });
    connect(models, &models::ExplorerModels::applied, this, &MeshOverviewPage::refresh);
    refresh();
}

void MeshOverviewPage::refresh()
{
    m_legend->setThresholds(m_models->graph()->thresholds());
    QSet<QString> namespaces;
    for (const auto &node : m_models->graph()->nodes())
        if (node.kind == models::GraphNode::Kind::Service)
            namespaces.insert(node.ns);
    if (const bool several = namespaces.size() > 1; several != m_severalNamespaces) {
        m_severalNamespaces = several;
        m_table->horizontalHeader()->setSectionHidden(models::ServicesModel::Namespace, !several);
    }
    m_summary->setText(summaryText());
    fitNameColumn();
}

void MeshOverviewPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitNameColumn();
}

void MeshOverviewPage::fitNameColumn()
{
    const auto *header = m_table->horizontalHeader();
    int others = 0;
    for (int column = 0; column < header->count(); ++column)
        if (column != models::ServicesModel::Name && !header->isSectionHidden(column))
            others += header->sectionSize(column); // each sized to its contents
    m_table->resizeColumnToContents(models::ServicesModel::Name);
    const int room = m_table->viewport()->width() - others;
    m_table->setColumnWidth(
        models::ServicesModel::Name,
        std::max(90, std::min(room, m_table->columnWidth(models::ServicesModel::Name))));
}

QString MeshOverviewPage::summaryText() const
{
    const auto *graph = m_models->graph();
    int services = 0;
    for (const auto &node : graph->nodes())
        services += node.kind == models::GraphNode::Kind::Service ? 1 : 0;
    double rps = 0;
    double requests = 0;
    double succeeded = 0;
    for (const auto &edge : graph->edges()) {
        rps += edge.traffic.rps;
        requests += static_cast<double>(edge.traffic.requests);
        succeeded
            += static_cast<double>(edge.traffic.requests) * edge.traffic.successRate.value_or(1);
    }
    QStringList parts;
    parts << (services == 1 ? tr("1 service") : tr("%1 services").arg(services));
    parts << humanRps(rps);
    if (requests > 0)
        parts << tr("%1 success").arg(humanPercent(succeeded / requests));
    if (const auto *next = m_models->certificates()->nextToExpire()) {
        const QString who = QString::fromStdString(next->identity).section(QLatin1Char('/'), -1);
        parts << tr("next certificate to expire: %1 (%2) in %3")
                     .arg(who, QString::fromStdString(next->kind),
                          humanDuration(next->secondsLeft * 1000));
    }
    return parts.join(QStringLiteral(" · "));
}

} // namespace meshscope::ui
