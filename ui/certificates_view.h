#pragma once

#include <QWidget>

#include "models/mesh_snapshot.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTreeView;

namespace meshscope::models {
class CertificatesModel;
}

namespace meshscope::ui {

// The mesh's certificates: trust anchor -> issuer -> workload leaves, with NotAfter, time left
// and state, sortable and filterable; a banner when any is in warning or expired, or the CA
// cannot issue; actions to rotate the issuer and to step the trust anchor through its stages,
// each asked for first. Thread: GUI.
class CertificatesView : public QWidget {
    Q_OBJECT
public:
    explicit CertificatesView(QWidget *parent = nullptr);

    void showReport(const meshcore::admin::CertificateReport *report);
    models::CertificatesModel *model() const { return m_model; }
    QLabel *banner() const { return m_banner; }
    QTreeView *tree() const { return m_tree; }
    // The anchor rotation's next stage for the report shown: "add", "reissue" or "remove".
    QString nextAnchorStage() const;

Q_SIGNALS:
    void rotateIssuerRequested();
    void rotateAnchorRequested(const QString &stage);

private:
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
