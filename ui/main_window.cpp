#include "ui/main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include "core/version.h"
#include "ui/connection_indicator.h"
#include "ui/overview_panel.h"

namespace meshscope::ui {

MainWindow::MainWindow(models::MeshConnection *connection, QWidget *parent)
    : QMainWindow(parent),
      m_connection(connection),
      m_overview(new OverviewPanel(this)),
      m_indicator(new ConnectionIndicator(this)),
      m_meshLabel(new QLabel(this))
{
    setWindowTitle(tr("Meshscope"));
    setCentralWidget(m_overview);
    statusBar()->addWidget(m_indicator, 1);
    statusBar()->addPermanentWidget(m_meshLabel);
    m_meshLabel->setToolTip(tr("The mesh this meshd runs"));
    createMenus();

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1000, 650);

    connect(m_connection, &models::MeshConnection::stateChanged, this, &MainWindow::onStateChanged);
    connect(m_connection, &models::MeshConnection::snapshotArrived, this, &MainWindow::onSnapshot);
    onStateChanged(m_connection->state(), m_connection->statusText());
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setStatusTip(tr("Quit Meshscope (and the meshd it started)"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Meshscope"), this, [this] {
        QMessageBox::about(this, tr("About Meshscope"),
                           tr("<h3>Meshscope %1</h3><p>A desktop service-mesh explorer.</p>"
                              "<p>Connected to: %2</p>")
                               .arg(QString::fromLatin1(meshcore::MeshscopeVersion),
                                    m_connection->addressText()));
    });
}

void MainWindow::onStateChanged(models::MeshConnection::State state, const QString &text)
{
    m_indicator->setState(state, text);
    m_overview->showState(state, text);
}

void MainWindow::onSnapshot(const models::PollResultPtr &result)
{
    const QString mesh = QString::fromStdString(result->info.mesh);
    setWindowTitle(tr("%1 — Meshscope").arg(mesh));
    m_meshLabel->setText(tr("mesh: %1").arg(mesh));
    m_overview->showSnapshot(result, m_connection->startedMeshd());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    event->accept();
}

} // namespace meshscope::ui
