// MainWindow's rollouts: the Rollouts menu, the wizard (from the menu, the service panel, the
// cockpit and a card's menu), the card's menu itself, and meshd's answers to every action.
#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>

#include "models/explorer_models.h"
#include "models/mesh_graph.h"
#include "models/rollout_text.h"
#include "models/rollouts_model.h"
#include "ui/main_window.h"
#include "ui/rollouts/rollout_cockpit.h"
#include "ui/rollouts/rollout_wizard.h"

namespace meshscope::ui {
namespace {
constexpr int CockpitHeight = 470; // what the cockpit needs to show its charts and tables
} // namespace

void MainWindow::createRolloutsMenu()
{
    QMenu *menu = menuBar()->addMenu(tr("&Rollouts"));
    QAction *start = menu->addAction(tr("&Start a Rollout…"), this,
                                     [this] { openRolloutWizard(m_models->service()); });
    start->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    start->setStatusTip(tr("Roll a service's new version out step by step, with analysis"));
    menu->addAction(tr("Show the &Cockpit"), this, &MainWindow::showRollouts)
        ->setStatusTip(tr("The Rollouts tab: the running rollout, its checks and its history"));
}

// The services that can be rolled out: two versions or more.
std::vector<RolloutTarget> MainWindow::rolloutTargets() const
{
    std::vector<RolloutTarget> targets;
    for (const auto &node : m_models->graph()->nodes())
        if (node.kind == models::GraphNode::Kind::Service && node.versions.size() >= 2)
            targets.push_back({node.key, node.name, node.ns, node.versions});
    std::sort(targets.begin(), targets.end(),
              [](const RolloutTarget &a, const RolloutTarget &b) { return a.key < b.key; });
    return targets;
}

void MainWindow::openRolloutWizard(const QString &service)
{
    if (m_wizard) {
        m_wizard->raise();
        return;
    }
    m_wizard = new RolloutWizard(rolloutTargets(), service, this);
    m_wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_wizard, &RolloutWizard::startRequested, m_connection,
            &models::MeshConnection::startRollout);
    connect(m_wizard, &QWizard::accepted, this, [this, wizard = m_wizard] {
        // The cockpit follows the new rollout from the next poll.
        const auto spec = wizard->spec();
        const QString key = models::MeshGraph::nodeKey(spec.service, spec.ns);
        if (key != m_models->service())
            selectService(key);
        m_models->setRollout({});
        showRollouts();
    });
    m_wizard->open();
}

RolloutWizard *MainWindow::rolloutWizard() const
{
    return m_wizard;
}

void MainWindow::showRollouts()
{
    showTab(m_rollouts);
    // The charts and tables need room: the topology gives some up while one looks at them.
    const auto sizes = m_split->sizes();
    if (sizes.size() == 2 && sizes[1] < CockpitHeight && sizes[0] + sizes[1] > CockpitHeight * 1.6)
        m_split->setSizes({sizes[0] + sizes[1] - CockpitHeight, CockpitHeight});
}

void MainWindow::showNodeMenu(const QString &key, const QPoint &globalPos)
{
    const auto *node = m_models->graph()->node(key);
    if (!node)
        return;
    QMenu menu(this);
    QAction *start
        = menu.addAction(tr("Start &Rollout…"), this, [this, key] { openRolloutWizard(key); });
    start->setEnabled(node->kind == models::GraphNode::Kind::Service && node->versions.size() >= 2);
    if (!node->badgeRollout.isEmpty()) {
        menu.addAction(tr("&Show the Rollout"), this, [this, rollout = node->badgeRollout] {
            m_models->setRollout(rollout);
            showRollouts();
        });
        const auto *row = m_models->rollouts()->find(node->badgeRollout);
        if (row && !meshcore::rollout::isActive(row->status.phase))
            menu.addAction(tr("&Dismiss Rollout Badge"), this,
                           [this, key] { m_models->graph()->dismissBadge(key); });
    }
    menu.exec(globalPos);
}

void MainWindow::exportToKubernetes()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export to Kubernetes"), QDir::home().filePath(QStringLiteral("mesh-k8s.yaml")),
        tr("YAML (*.yaml *.yml)"));
    if (!path.isEmpty())
        m_connection->exportTo(path);
}

void MainWindow::onActionFinished(const QString &action, bool ok, const QString &message)
{
    if (action == QStringLiteral("rollout-start") && m_wizard)
        m_wizard->startAnswered(ok, message);
    const bool fromCockpit = action.startsWith(QStringLiteral("rollout-"))
        || action.startsWith(QStringLiteral("fault-"));
    if (fromCockpit)
        m_rollouts->showAnswer(action, ok, message);
    if (ok)
        statusBar()->showMessage(message, 8000);
    else if (fromCockpit)
        statusBar()->showMessage(tr("meshd refused: %1").arg(message), 8000);
    else
        QMessageBox::warning(this, tr("meshd refused"), message);
}

} // namespace meshscope::ui
