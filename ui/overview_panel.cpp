#include "ui/overview_panel.h"

#include <QDateTime>
#include <QFormLayout>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "ui/format.h"

namespace meshscope::ui {
namespace {

QLabel *valueLabel(QWidget *parent, const QString &tooltip)
{
    auto *label = new QLabel(parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setToolTip(tooltip);
    return label;
}

} // namespace

OverviewPanel::OverviewPanel(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
{
    auto *outer = new QVBoxLayout(this);
    outer->addWidget(m_stack);

    // Empty state: what is happening and what the user can do.
    auto *empty = new QWidget(m_stack);
    auto *emptyLayout = new QVBoxLayout(empty);
    emptyLayout->addStretch();
    m_emptyTitle = new QLabel(tr("Connecting to meshd…"), empty);
    m_emptyTitle->setAlignment(Qt::AlignCenter);
    QFont titleFont = m_emptyTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    m_emptyTitle->setFont(titleFont);
    m_emptyText = new QLabel(empty);
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setWordWrap(true);
    m_emptyText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    emptyLayout->addWidget(m_emptyTitle);
    emptyLayout->addWidget(m_emptyText);
    emptyLayout->addStretch();
    m_stack->addWidget(empty);

    auto *details = new QWidget(m_stack);
    auto *detailsLayout = new QVBoxLayout(details);
    m_title = new QLabel(details);
    m_title->setFont(titleFont);
    detailsLayout->addWidget(m_title);
    auto *form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight);
    m_version = valueLabel(details, tr("The release of the meshd answering the admin API"));
    m_address = valueLabel(details, tr("Where meshd's admin API listens (loopback only)"));
    m_trustDomain = valueLabel(details,
                               tr("The trust domain of workload identities: spiffe://<trust "
                                  "domain>/ns/<namespace>/sa/<service>"));
    m_config = valueLabel(details, tr("The configuration meshd is running"));
    m_started = valueLabel(details, tr("When this meshd started"));
    m_uptime = valueLabel(details, tr("How long this meshd has been running"));
    m_process = valueLabel(details,
                           tr("meshd's process id, and whether Meshscope started it (then quitting "
                              "Meshscope stops it)"));
    m_stateDir
        = valueLabel(details, tr("Where meshd keeps its CA keys, admin token and other state"));
    m_roundTrip = valueLabel(details, tr("Time of the last admin API poll, measured by Meshscope"));
    form->addRow(tr("meshd version:"), m_version);
    form->addRow(tr("Admin API:"), m_address);
    form->addRow(tr("Trust domain:"), m_trustDomain);
    form->addRow(tr("Configuration:"), m_config);
    form->addRow(tr("Started:"), m_started);
    form->addRow(tr("Uptime:"), m_uptime);
    form->addRow(tr("Process:"), m_process);
    form->addRow(tr("State directory:"), m_stateDir);
    form->addRow(tr("Last poll:"), m_roundTrip);
    detailsLayout->addLayout(form);
    detailsLayout->addStretch();
    m_stack->addWidget(details);
}

void OverviewPanel::showSnapshot(const models::PollResultPtr &result, bool startedByApp)
{
    if (!result || !result->ok)
        return;
    const auto &info = result->info;
    m_title->setText(tr("Mesh “%1”").arg(QString::fromStdString(info.mesh)));
    m_version->setText(
        tr("%1 (admin API v%2)").arg(QString::fromStdString(info.version)).arg(info.apiVersion));
    m_address->setText(QString::fromStdString(info.adminAddress));
    m_trustDomain->setText(QString::fromStdString(info.trustDomain));
    m_config->setText(QString::fromStdString(info.configSource));
    m_started->setText(QLocale().toString(
        QDateTime::fromMSecsSinceEpoch(info.startedAtUnixMs).toLocalTime(), QLocale::ShortFormat));
    m_uptime->setText(humanDuration(info.uptimeMs));
    m_process->setText(startedByApp ? tr("pid %1, started by Meshscope").arg(info.pid)
                                    : tr("pid %1, already running").arg(info.pid));
    m_stateDir->setText(QString::fromStdString(info.stateDir));
    m_roundTrip->setText(
        tr("%1, round trip %2 ms")
            .arg(QLocale().toString(result->at.toLocalTime().time(), QLocale::LongFormat))
            .arg(result->roundTripMs));
    m_stack->setCurrentIndex(1);
}

void OverviewPanel::showState(models::MeshConnection::State state, const QString &text)
{
    using State = models::MeshConnection::State;
    if (state == State::Connected)
        return;
    // Keep the last figures visible while reconnecting; the status bar says they are stale.
    if (m_stack->currentIndex() == 1 && state == State::Disconnected)
        return;
    m_emptyTitle->setText(state == State::StartingMeshd      ? tr("Starting the demo mesh…")
                              : state == State::Disconnected ? tr("meshd is not answering")
                                                             : tr("Connecting to meshd…"));
    m_emptyText->setText(text);
    m_stack->setCurrentIndex(0);
}

} // namespace meshscope::ui
