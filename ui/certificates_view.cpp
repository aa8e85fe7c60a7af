#include "ui/certificates_view.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

#include "models/certificates_model.h"
#include "models/explorer_models.h"
#include "models/item_roles.h"
#include "ui/colour_scheme.h"
#include "ui/format.h"
#include "ui/status_delegate.h"

namespace meshscope::ui {

CertificatesView::CertificatesView(const models::ExplorerModels *models, QWidget *parent)
    : QWidget(parent)
    , m_model(models->certificates())
    , m_proxy(new QSortFilterProxyModel(this))
    , m_banner(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_filter(new QLineEdit(this))
    , m_tree(new QTreeView(this))
    , m_rotateIssuer(new QPushButton(tr("Rotate the Issuer…"), this))
    , m_rotateAnchor(new QPushButton(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setSortRole(models::SortRole);
    m_tree->setModel(m_proxy);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(models::CertificatesModel::NotAfter, Qt::AscendingOrder);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    StatusDelegate::install(m_tree);
    connect(m_model, &QAbstractItemModel::modelReset, m_tree, &QTreeView::expandAll);
    m_filter->setPlaceholderText(tr("Filter by identity, kind or state"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);

    m_banner->setWordWrap(true);
    // A long summary ("the next to expire is spiffe://...") wraps instead of widening the window.
    m_summary->setWordWrap(true);
    m_banner->setMargin(8);
    m_banner->setAutoFillBackground(true);
    colours::paintBanner(m_banner, false);
    m_banner->hide();

    m_rotateIssuer->setToolTip(tr("Replace the issuer now; sidecars get leaves from the new one as "
                                  "theirs renew, none is cut off"));
    m_rotateAnchor->setToolTip(tr(
        "Rotate the trust anchor in three steps: add the new one to the bundle, reissue the issuer "
        "from it, remove the old one. Each step keeps every connection working."));
    connect(m_rotateIssuer, &QPushButton::clicked, this, [this] {
        if (QMessageBox::question(this, tr("Rotate the issuer"),
                                  tr("Replace the mesh's issuer now?\n\nWorkloads keep their "
                                     "certificates and renew from the new "
                                     "issuer on their normal schedule."))
            == QMessageBox::Yes)
            Q_EMIT rotateIssuerRequested();
    });
    connect(m_rotateAnchor, &QPushButton::clicked, this, [this] {
        const QString stage = nextAnchorStage();
        static const QMap<QString, QString> explain = {
            {QStringLiteral("add"),
             tr("Step 1 of 3: create a new trust anchor and add it to the trust bundle. Both "
                "anchors are trusted.")},
            {QStringLiteral("reissue"),
             tr("Step 2 of 3: issue a new issuer from the new anchor. Leaves renew from it.")},
            {QStringLiteral("remove"),
             tr("Step 3 of 3: remove the old anchor from the trust bundle. Do this once every leaf "
                "was renewed.")},
        };
        if (QMessageBox::question(this, tr("Rotate the trust anchor"),
                                  explain.value(stage) + tr("\n\nGo on?"))
            == QMessageBox::Yes)
            Q_EMIT rotateAnchorRequested(stage);
    });

    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_filter);
    top->addWidget(m_rotateIssuer);
    top->addWidget(m_rotateAnchor);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(top);
    layout->addWidget(m_tree);
    connect(
        models, &models::ExplorerModels::applied, this,
        [this](const models::PollResultPtr &result) { showReport(result->certificates.get()); });
    showReport(models->latest() ? models->latest()->certificates.get() : nullptr);
}

void CertificatesView::refreshColours()
{
    colours::paintBanner(m_banner, false);
}

QString CertificatesView::nextAnchorStage() const
{
    const auto &stage = m_model->report().anchorStage;
    if (stage == "added")
        return QStringLiteral("reissue");
    if (stage == "reissued")
        return QStringLiteral("remove");
    return QStringLiteral("add");
}

void CertificatesView::showReport(const meshcore::admin::CertificateReport *report)
{
    const int expired = m_model->count("expired");
    const int warning = m_model->count("warning");
    QString problems;
    if (report && !report->canIssue)
        problems += tr("<b>The CA cannot issue certificates</b>: %1. Sidecars keep theirs until "
                       "they expire.<br>")
                        .arg(QString::fromStdString(report->problem).toHtmlEscaped());
    if (expired)
        problems += tr("<b>%n certificate(s) expired</b>: connections that need them fail.<br>",
                       nullptr, expired);
    if (warning)
        problems += tr("%n certificate(s) expire soon: rotate before they do.", nullptr, warning);
    m_banner->setText(problems);
    m_banner->setVisible(!problems.isEmpty());
    if (const auto *next = m_model->nextToExpire(); next && report)
        m_summary->setText(
            tr("Trust domain %1 · %2 certificates · the next to expire is %3, in %4")
                .arg(QString::fromStdString(report->trustDomain))
                .arg(report->certificates.size())
                .arg(QString::fromStdString(next->identity).toHtmlEscaped(),
                     humanDuration((next->notAfterUnix - QDateTime::currentSecsSinceEpoch())
                                   * 1000)));
    else
        m_summary->setText(tr("No certificates yet."));
    const QString stage = nextAnchorStage();
    m_rotateAnchor->setText(stage == QLatin1String("add") ? tr("Rotate the Anchor: Add…")
                                : stage == QLatin1String("reissue")
                                ? tr("Rotate the Anchor: Reissue…")
                                : tr("Rotate the Anchor: Remove Old…"));
    m_rotateIssuer->setEnabled(report != nullptr);
    m_rotateAnchor->setEnabled(report != nullptr);
}

} // namespace meshscope::ui
