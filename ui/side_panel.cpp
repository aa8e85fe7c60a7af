#include "ui/side_panel.h"

#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "models/explorer_models.h"
#include "ui/colour_scheme.h"
#include "ui/edge_panel.h"
#include "ui/mesh_overview_page.h"
#include "ui/service_panel.h"

namespace meshscope::ui {
namespace {

QScrollArea *scrolled(QWidget *content, QWidget *parent)
{
    auto *scroll = new QScrollArea(parent);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // Never sideways: the panels wrap and elide to the panel's width.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    return scroll;
}

} // namespace

SidePanel::SidePanel(const models::ExplorerModels *models, QWidget *parent)
    : QWidget(parent)
    , m_models(models)
    , m_staleLine(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_overview(new MeshOverviewPage(models, this))
    , m_service(new ServicePanel(models))
    , m_edge(new EdgePanel(models))
    , m_serviceScroll(scrolled(m_service, this))
    , m_edgeScroll(scrolled(m_edge, this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_staleLine->setObjectName(QStringLiteral("staleLine"));
    m_staleLine->setWordWrap(true);
    m_staleLine->setAutoFillBackground(true);
    m_staleLine->setMargin(6);
    colours::paintBanner(m_staleLine, true);
    m_staleLine->hide();
    layout->addWidget(m_staleLine);
    m_stack->addWidget(m_overview);
    m_stack->addWidget(m_serviceScroll);
    m_stack->addWidget(m_edgeScroll);
    layout->addWidget(m_stack);
    connect(models, &models::ExplorerModels::serviceChanged, this, &SidePanel::follow);
    connect(models, &models::ExplorerModels::edgeChanged, this, &SidePanel::follow);
    follow();
}

void SidePanel::follow()
{
    const Page page = !m_models->service().isEmpty() ? Page::Service
        : !m_models->edge().isEmpty()                ? Page::Edge
                                                     : Page::Overview;
    m_stack->setCurrentIndex(static_cast<int>(page));
    // A new selection starts at its top, not where the previous one was scrolled to.
    m_serviceScroll->verticalScrollBar()->setValue(0);
    m_edgeScroll->verticalScrollBar()->setValue(0);
    if (page != m_page) {
        m_page = page;
        Q_EMIT pageChanged(page);
    }
}

QString SidePanel::title() const
{
    switch (m_page) {
    case Page::Service:
        return tr("Service");
    case Page::Edge:
        return tr("Edge");
    case Page::Overview:
        break;
    }
    return tr("Overview");
}

void SidePanel::setStale(const QDateTime &since)
{
    m_staleLine->setVisible(since.isValid());
    if (since.isValid())
        m_staleLine->setText(tr("Figures from %1: meshd is not answering.")
                                 .arg(since.toLocalTime().toString(QStringLiteral("HH:mm:ss"))));
}

bool SidePanel::stale() const
{
    return !m_staleLine->isHidden();
}

} // namespace meshscope::ui
