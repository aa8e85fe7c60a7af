#pragma once

#include <QDateTime>
#include <QWidget>

class QLabel;
class QScrollArea;
class QStackedWidget;

namespace meshscope::models {
class ExplorerModels;
} // namespace meshscope::models

namespace meshscope::ui {

class EdgePanel;
class MeshOverviewPage;
class ServicePanel;

// The right-hand panel: the mesh overview while nothing is selected, the selected service, or the
// selected edge, following the models' selection. Each selection starts scrolled to its top. When
// the figures are old (meshd not answering), a line above says since when. Thread: GUI.
class SidePanel : public QWidget {
    Q_OBJECT
public:
    enum class Page { Overview, Service, Edge };

    explicit SidePanel(const models::ExplorerModels *models, QWidget *parent = nullptr);

    Page page() const { return m_page; }
    QString title() const; // "Overview", "Service", "Edge", for the dock
    // `since` invalid: the figures are live.
    void setStale(const QDateTime &since);
    bool stale() const;

    MeshOverviewPage *overview() const { return m_overview; }
    ServicePanel *service() const { return m_service; }
    EdgePanel *edge() const { return m_edge; }
    QScrollArea *serviceScroll() const { return m_serviceScroll; }
    QScrollArea *edgeScroll() const { return m_edgeScroll; }

Q_SIGNALS:
    void pageChanged(meshscope::ui::SidePanel::Page page);

private:
    void follow();

    const models::ExplorerModels *m_models;
    QLabel *m_staleLine;
    QStackedWidget *m_stack;
    MeshOverviewPage *m_overview;
    ServicePanel *m_service;
    EdgePanel *m_edge;
    QScrollArea *m_serviceScroll;
    QScrollArea *m_edgeScroll;
    Page m_page = Page::Overview;
};

} // namespace meshscope::ui
