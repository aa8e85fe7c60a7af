#pragma once

#include <QAbstractItemModel>

#include <memory>
#include <vector>

#include "admin/api_types.h"

namespace meshscope::models {

// The mesh CA's certificates as a tree: trust anchors, the issuer under the signing anchor, the
// workloads' leaves under the issuer; with identity, NotAfter, time left and state. A refresh
// with the same certificates changes only the time left (one dataChanged per level); a rotation
// (new serials) rebuilds the tree. Thread: GUI.
class CertificatesModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Identity, Kind, NotAfter, TimeLeft, State, ColumnCount };
    static constexpr int StateRole = Qt::UserRole + 2; // "ok", "warning", "expired"

    explicit CertificatesModel(QObject *parent = nullptr);

    void setReport(const meshcore::admin::CertificateReport *report, qint64 nowUnix);
    const meshcore::admin::CertificateReport &report() const { return m_report; }
    int count(const std::string &state) const;
    // The soonest NotAfter, for "the next certificate expires in ...".
    const meshcore::admin::CertificateInfo *nextToExpire() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Node {
        int certificate = -1; // index into m_report.certificates
        Node *parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children;
    };
    void rebuild();
    const Node *nodeOf(const QModelIndex &index) const;

    meshcore::admin::CertificateReport m_report;
    qint64 m_now = 0;
    Node m_root;
};

} // namespace meshscope::models
