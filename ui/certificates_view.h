#pragma once

#include <QWidget>

#include "models/mesh_snapshot.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTreeView;

class TestMainWindow;

namespace meshscope::models {
class CertificatesModel;
class ExplorerModels;
} // namespace meshscope::models

namespace meshscope::ui {

// The mesh's certificates: trust anchor -> issuer -> workload leaves, with NotAfter, time left
// and state, sortable and filterable; a banner when any is in warning or expired, or the CA
// cannot issue; actions to rotate the issuer and to step the trust anchor through its stages,
// each asked for first. Shows the certificates model of `models`, refreshed with each poll.
// Thread: GUI.
class CertificatesView : public QWidget {
    Q_OBJECT
public:
    explicit CertificatesView(const models::ExplorerModels *models, QWidget *parent = nullptr);

    // The banner's colours again, after the palette changed (light/dark).
    void refreshColours();
    // The anchor rotation's next stage for the report shown: "add", "reissue" or "remove".
    QString nextAnchorStage() const;

Q_SIGNALS:
    void rotateIssuerRequested();
    void rotateAnchorRequested(const QString &stage);

private:
    friend class ::TestMainWindow;
    // The banner, the summary and the buttons for `report` (in the model already).
    void showReport(const meshcore::admin::CertificateReport *report);
    QLabel *banner() const { return m_banner; } // for tests (TestMainWindow)

    models::CertificatesModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLabel *m_banner;
    QLabel *m_summary;
    QLineEdit *m_filter;
    QTreeView *m_tree;
    QPushButton *m_rotateIssuer;
    QPushButton *m_rotateAnchor;
};

} // namespace meshscope::ui
