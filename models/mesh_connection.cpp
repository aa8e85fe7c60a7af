#include "models/mesh_connection.h"

#include <QMetaObject>

#include "models/mesh_client_worker.h"
#include "models/meshd_launcher.h"

namespace meshscope::models {
namespace {
constexpr int StartingPollMs = 200;
constexpr int RelaunchBackoffMs = 5000;
} // namespace

MeshConnection::MeshConnection(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_launcher(new MeshdLauncher(this))
{
    qRegisterMetaType<PollResultPtr>();
    m_thread.setObjectName(QStringLiteral("MeshClient"));
    createWorker();
    connect(m_launcher, &MeshdLauncher::exited, this,
            [this](int, const QString &reason) { onMeshdExited(reason); });
}

void MeshConnection::createWorker()
{
    m_worker = new MeshClientWorker(m_options.address, m_options.stateDir,
                                    [this](PollResultPtr result) { enqueue(std::move(result)); });
    m_worker->setActionDone([this](const QString &action, bool ok, const QString &message) {
        QMetaObject::invokeMethod(
            this, [this, action, ok, message] { Q_EMIT actionFinished(action, ok, message); },
            Qt::QueuedConnection);
    });
    m_worker->setHistoryRange(m_historyRange); // not running yet: no poll
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
}

void MeshConnection::reconnect(const meshcore::Address &address,
                               const std::filesystem::path &stateDir)
{
    shutdown(); // stops polling, and the meshd this app started for the old address
    m_options.address = address;
    m_options.stateDir = stateDir;
    m_shutDown = false;
    m_externalMeshd = false;
    m_launchFailure.clear();
    m_sinceLaunch.invalidate();
    {
        std::lock_guard lock(m_mutex);
        m_pending.reset();
    }
    m_latest.reset();
    createWorker();
    m_state = State::Idle;
    start();
}

MeshConnection::~MeshConnection()
{
    shutdown();
}

QString MeshConnection::addressText() const
{
    return QString::fromStdString(m_options.address.toString());
}

bool MeshConnection::startedMeshd() const
{
    return m_launcher->isRunning();
}

qint64 MeshConnection::meshdPid() const
{
    return m_launcher->pid();
}

void MeshConnection::setFocus(const QString &service)
{
    if (m_worker)
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, service] { worker->setFocus(service); },
            Qt::QueuedConnection);
}

void MeshConnection::setHistoryRange(int seconds)
{
    m_historyRange = seconds;
    if (m_worker)
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, seconds] { worker->setHistoryRange(seconds); },
            Qt::QueuedConnection);
}

void MeshConnection::retry()
{
    m_sinceLaunch.invalidate(); // no back-off after a failed start: the user asked
    if (m_worker)
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker] { worker->pollNow(); }, Qt::QueuedConnection);
}

void MeshConnection::applySplit(const QString &service,
                                const std::vector<meshcore::admin::BackendShare> &backends)
{
    if (m_worker)
        QMetaObject::invokeMethod(
            m_worker,
            [worker = m_worker, service, backends] { worker->applySplit(service, backends); },
            Qt::QueuedConnection);
}

void MeshConnection::rotateIssuer()
{
    if (m_worker)
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker] { worker->rotateIssuer(); }, Qt::QueuedConnection);
}

void MeshConnection::rotateAnchor(const QString &stage)
{
    if (m_worker)
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, stage] { worker->rotateAnchor(stage); },
            Qt::QueuedConnection);
}

void MeshConnection::startRollout(const meshcore::control::RolloutSpec &spec)
{
    if (m_worker)
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, spec] { worker->startRollout(spec); },
            Qt::QueuedConnection);
}

void MeshConnection::exportTo(const QString &path)
{
    if (m_worker)
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, path] { worker->exportTo(path); }, Qt::QueuedConnection);
}

void MeshConnection::setFault(const QString &service, const QString &version,
                              const std::optional<meshcore::admin::FaultSpec> &fault)
{
    if (m_worker)
        QMetaObject::invokeMethod(
            m_worker,
            [worker = m_worker, service, version, fault] {
                worker->setFault(service, version, fault);
            },
            Qt::QueuedConnection);
}

void MeshConnection::rolloutAction(const QString &service, meshcore::rollout::Action action,
                                   std::optional<unsigned> weight)
{
    if (m_worker)
        QMetaObject::invokeMethod(
            m_worker,
            [worker = m_worker, service, action, weight] {
                worker->rolloutAction(service, action, weight);
            },
            Qt::QueuedConnection);
}

void MeshConnection::start()
{
    if (m_thread.isRunning() || m_shutDown)
        return;
    m_thread.start();
    setState(State::Connecting, tr("Connecting to meshd at %1…").arg(addressText()));
    const int interval = m_options.pollIntervalMs;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, interval] { worker->start(interval); }, Qt::QueuedConnection);
}

void MeshConnection::shutdown()
{
    if (m_shutDown)
        return;
    m_shutDown = true;
    if (m_thread.isRunning()) {
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker] { worker->stop(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    } else {
        delete m_worker;
    }
    m_worker = nullptr;
    m_launcher->stop();
}

void MeshConnection::enqueue(PollResultPtr result)
{
    {
        std::lock_guard lock(m_mutex);
        m_pending = std::move(result);
        if (m_deliveryQueued)
            return;
        m_deliveryQueued = true;
    }
    QMetaObject::invokeMethod(this, &MeshConnection::deliver, Qt::QueuedConnection);
}

void MeshConnection::deliver()
{
    PollResultPtr result;
    {
        std::lock_guard lock(m_mutex);
        result = std::move(m_pending);
        m_deliveryQueued = false;
    }
    if (result && !m_shutDown)
        onPoll(result);
}

void MeshConnection::onPoll(const PollResultPtr &result)
{
    if (result->ok) {
        m_latest = result;
        m_launchFailure.clear();
        m_externalMeshd = !startedMeshd();
        setPollInterval(m_options.pollIntervalMs);
        const QString version = QString::fromStdString(result->info.version);
        QString text = tr("Connected to meshd %1 at %2").arg(version, addressText());
        if (startedMeshd())
            text += tr(" (started by Meshscope)");
        setState(State::Connected, text);
        Q_EMIT snapshotArrived(result);
        return;
    }

    const QString error = QString::fromStdString(result->error.message);
    const bool nobodyThere = result->error.code == meshcore::ErrorCode::ConnectionRefused;
    if (nobodyThere && maybeStartMeshd())
        return;
    if (m_state == State::StartingMeshd && m_launcher->isRunning()
        && m_sinceLaunch.elapsed() < m_options.startTimeoutMs)
        return; // still coming up
    QString text = m_state == State::Connected ? tr("Lost meshd at %1: %2 Reconnecting…")
                                               : tr("Not connected to meshd at %1: %2");
    text = text.arg(addressText(), error);
    if (!m_launchFailure.isEmpty())
        text = tr("meshd could not start: %1").arg(m_launchFailure);
    setState(State::Disconnected, text);
}

bool MeshConnection::maybeStartMeshd()
{
    if (!m_options.startMeshdIfAbsent || m_externalMeshd || m_launcher->isRunning())
        return false;
    if (m_sinceLaunch.isValid() && m_sinceLaunch.elapsed() < RelaunchBackoffMs)
        return false;
    m_sinceLaunch.start();
    if (!m_launcher->start(addressText(),
                           QString::fromStdString(m_options.meshdOutbound.toString()),
                           QString::fromStdString(m_options.stateDir.string()))) {
        m_launchFailure = m_launcher->lastError();
        return false;
    }
    setPollInterval(StartingPollMs);
    setState(State::StartingMeshd, tr("Starting meshd at %1…").arg(addressText()));
    return true;
}

void MeshConnection::onMeshdExited(const QString &reason)
{
    m_launchFailure = reason;
    setState(State::Disconnected, tr("meshd stopped: %1").arg(reason));
}

void MeshConnection::setState(State state, const QString &text)
{
    if (state == m_state && text == m_statusText)
        return;
    m_state = state;
    m_statusText = text;
    Q_EMIT stateChanged(state, text);
}

void MeshConnection::setPollInterval(int ms)
{
    if (m_worker)
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, ms] { worker->setInterval(ms); }, Qt::QueuedConnection);
}

} // namespace meshscope::models
