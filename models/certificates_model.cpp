#include "models/certificates_model.h"
#include "models/health.h"
#include "models/item_roles.h"

#include <QDateTime>

#include <algorithm>
#include <functional>

namespace meshscope::models {
namespace {

QString timeLeft(qint64 seconds)
{
    if (seconds <= 0)
        return QObject::tr("expired");
    if (seconds < 3600)
        return QObject::tr("%1 min").arg(seconds / 60);
    if (seconds < 2 * 86400)
        return QObject::tr("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
    return QObject::tr("%1 d").arg(seconds / 86400);
}

std::vector<std::string> serials(const meshcore::admin::CertificateReport &report)
{
    std::vector<std::string> out;
    for (const auto &c : report.certificates)
        out.push_back(c.kind + c.serial);
    return out;
}

} // namespace

CertificatesModel::CertificatesModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void CertificatesModel::setReport(const meshcore::admin::CertificateReport *report, qint64 nowUnix)
{
    const meshcore::admin::CertificateReport next
        = report ? *report : meshcore::admin::CertificateReport {};
    m_now = nowUnix;
    if (serials(next) == serials(m_report)) {
        // Same certificates: only the time left (and maybe the state) moved on.
        m_report = next;
        const std::function<void(const Node &, const QModelIndex &)> touch
            = [&](const Node &node, const QModelIndex &parent) {
                  if (node.children.empty())
                      return;
                  Q_EMIT dataChanged(
                      index(0, TimeLeft, parent),
                      index(static_cast<int>(node.children.size()) - 1, State, parent));
                  for (const auto &child : node.children)
                      touch(*child, index(child->row, 0, parent));
              };
        touch(m_root, {});
        return;
    }
    beginResetModel(); // a rotation: new certificates, a new tree (rare)
    m_report = next;
    rebuild();
    endResetModel();
}

void CertificatesModel::rebuild()
{
    m_root.children.clear();
    const auto add = [](Node &parent, int certificate) {
        auto node = std::make_unique<Node>();
        node->certificate = certificate;
        node->parent = &parent;
        node->row = static_cast<int>(parent.children.size());
        parent.children.push_back(std::move(node));
        return parent.children.back().get();
    };
    Node *signing = nullptr;
    Node *issuer = nullptr;
    const auto &certificates = m_report.certificates;
    for (int i = 0; i < static_cast<int>(certificates.size()); ++i)
        if (certificates[static_cast<std::size_t>(i)].kind == "trust-anchor") {
            Node *anchor = add(m_root, i);
            if (certificates[static_cast<std::size_t>(i)].role == "signing" || !signing)
                signing = anchor;
        }
    for (int i = 0; i < static_cast<int>(certificates.size()); ++i)
        if (certificates[static_cast<std::size_t>(i)].kind == "issuer")
            issuer = add(signing ? *signing : m_root, i);
    for (int i = 0; i < static_cast<int>(certificates.size()); ++i)
        if (certificates[static_cast<std::size_t>(i)].kind == "workload")
            add(issuer ? *issuer : m_root, i);
}

int CertificatesModel::count(const std::string &state) const
{
    return static_cast<int>(std::count_if(m_report.certificates.begin(),
                                          m_report.certificates.end(),
                                          [&](const auto &c) { return c.state == state; }));
}

const meshcore::admin::CertificateInfo *CertificatesModel::nextToExpire() const
{
    const meshcore::admin::CertificateInfo *soonest = nullptr;
    for (const auto &c : m_report.certificates)
        if (!soonest || c.notAfterUnix < soonest->notAfterUnix)
            soonest = &c;
    return soonest;
}

const CertificatesModel::Node *CertificatesModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<const Node *>(index.internalPointer()) : &m_root;
}

QModelIndex CertificatesModel::index(int row, int column, const QModelIndex &parent) const
{
    const Node *node = nodeOf(parent);
    if (row < 0 || row >= static_cast<int>(node->children.size()) || column < 0
        || column >= ColumnCount)
        return {};
    return createIndex(row, column, node->children[static_cast<std::size_t>(row)].get());
}

QModelIndex CertificatesModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *parent = nodeOf(child)->parent;
    if (!parent || parent == &m_root)
        return {};
    return createIndex(parent->row, 0, const_cast<Node *>(parent));
}

int CertificatesModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return static_cast<int>(nodeOf(parent)->children.size());
}

int CertificatesModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant CertificatesModel::data(const QModelIndex &index, int role) const
{
    const Node *node = nodeOf(index);
    if (!index.isValid() || node->certificate < 0)
        return {};
    const auto &c = m_report.certificates[static_cast<std::size_t>(node->certificate)];
    const qint64 left = c.notAfterUnix - m_now;
    if (role == StateRole)
        return QString::fromStdString(c.state);
    if (role == StatusRole && (index.column() == State || index.column() == TimeLeft))
        return c.state == "expired" ? QVariant(static_cast<int>(Health::Failing))
            : c.state == "warning"  ? QVariant(static_cast<int>(Health::Warning))
                                    : QVariant();
    if (role == Qt::ToolTipRole)
        return tr("serial %1\nvalid from %2 to %3")
            .arg(QString::fromStdString(c.serial),
                 QDateTime::fromSecsSinceEpoch(c.notBeforeUnix).toString(Qt::ISODate),
                 QDateTime::fromSecsSinceEpoch(c.notAfterUnix).toString(Qt::ISODate));
    if (role == SortRole) { // sort
        if (index.column() == NotAfter || index.column() == TimeLeft)
            return static_cast<qlonglong>(c.notAfterUnix);
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (index.column()) {
    case Identity:
        return QString::fromStdString(c.identity);
    case Kind:
        return QString::fromStdString(c.kind + (c.role.empty() ? "" : " (" + c.role + ")"));
    case NotAfter:
        return QDateTime::fromSecsSinceEpoch(c.notAfterUnix)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    case TimeLeft:
        return timeLeft(left);
    case State:
        return QString::fromStdString(c.state);
    default:
        return {};
    }
}

QVariant CertificatesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    static const char *const Titles[ColumnCount]
        = {"Identity", "Kind", "Not after", "Time left", "State"};
    static const char *const Tips[ColumnCount]
        = {"The SPIFFE identity of a workload's certificate, or the name of an anchor or issuer",
           "trust-anchor (the root every proxy trusts), issuer (signs the workloads' "
           "certificates), workload",
           "When it stops being valid", "Until then, from now",
           "ok; warning under min(60 days, 20 % of its lifetime) left; expired"};
    if (role == Qt::DisplayRole)
        return tr(Titles[section]);
    if (role == Qt::ToolTipRole)
        return tr(Tips[section]);
    return {};
}

} // namespace meshscope::models
