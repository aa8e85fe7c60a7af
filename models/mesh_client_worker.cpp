#include "models/mesh_client_worker.h"

#include <QElapsedTimer>
#include <QTimer>

#include "admin/admin_token.h"

namespace meshscope::models {

MeshClientWorker::MeshClientWorker(meshcore::Address address, std::filesystem::path stateDir,
                                   Publish publish)
    : m_address(std::move(address))
    , m_stateDir(std::move(stateDir))
    , m_publish(std::move(publish))
{
}

MeshClientWorker::~MeshClientWorker() = default;

void MeshClientWorker::start(int intervalMs)
{
    if (!m_timer) {
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, &MeshClientWorker::pollNow);
    }
    m_timer->start(intervalMs);
    pollNow();
}

void MeshClientWorker::setInterval(int intervalMs)
{
    if (m_timer && m_timer->interval() != intervalMs)
        m_timer->start(intervalMs);
}

void MeshClientWorker::stop()
{
    if (m_timer)
        m_timer->stop();
    m_client.reset();
}

void MeshClientWorker::pollNow()
{
    m_publish(pollOnce());
}

bool MeshClientWorker::reloadToken(meshcore::Error *error)
{
    auto token = meshcore::admin::readAdminToken(m_stateDir);
    if (!token) {
        *error = token.error();
        return false;
    }
    m_client->setToken(*token);
    m_haveToken = true;
    return true;
}

PollResultPtr MeshClientWorker::pollOnce()
{
    auto result = std::make_shared<PollResult>();
    QElapsedTimer timer;
    timer.start();
    const auto finish = [&]() -> PollResultPtr {
        result->at = QDateTime::currentDateTimeUtc();
        result->roundTripMs = timer.elapsed();
        return result;
    };

    if (!m_client) {
        meshcore::client::AdminClient::Options options;
        options.address = m_address;
        options.connectTimeout = std::chrono::milliseconds(500);
        options.requestTimeout = std::chrono::milliseconds(3000);
        auto client = meshcore::client::AdminClient::create(options);
        if (!client) {
            result->error = client.error();
            return finish();
        }
        m_client = std::move(*client);
        m_haveToken = false;
    }

    auto health = m_client->healthz();
    if (!health) {
        result->error = health.error();
        return finish();
    }
    // meshd may have been restarted with a new token, or written it just now.
    if (!m_haveToken && !reloadToken(&result->error))
        return finish();
    auto version = m_client->version();
    if (!version && version.error().code == meshcore::ErrorCode::Unauthorized
        && reloadToken(&result->error))
        version = m_client->version();
    if (!version) {
        result->error = version.error();
        return finish();
    }
    result->ok = true;
    result->info = *version;
    fetchViews(*result);
    return finish();
}

void MeshClientWorker::fetchViews(PollResult &result)
{
    // Every poll: what moves every second. Every 3rd: checks (they walk /proc). Every 5th:
    // certificates.
    const auto shared = [](auto value) {
        return value ? std::make_shared<const std::decay_t<decltype(*value)>>(std::move(*value))
                     : nullptr;
    };
    result.topology = shared(m_client->topology(30));
    result.workloads = shared(m_client->workloads());
    if (m_polls % 3 == 0 || !m_checks || result.info.pid != m_meshdPid)
        if (auto checks = m_client->checks())
            m_checks = std::make_shared<const meshcore::admin::ChecksReport>(std::move(*checks));
    if (m_polls % 5 == 0 || !m_certificates || result.info.pid != m_meshdPid)
        if (auto certificates = m_client->certificates())
            m_certificates = std::make_shared<const meshcore::admin::CertificateReport>(
                std::move(*certificates));
    result.checks = m_checks;
    result.certificates = m_certificates;
    const bool sameMeshd = result.info.pid == m_meshdPid;
    if (!sameMeshd) {
        result.eventsRestarted = m_meshdPid != 0;
        m_meshdPid = result.info.pid;
        m_lastEventSeq = 0;
    }
    if (auto events = m_client->events(m_lastEventSeq)) {
        if (!events->empty())
            m_lastEventSeq = events->back().seq;
        result.newEvents = std::move(*events);
    }
    // No answer (meshd going away mid-poll) is not "none": the same meshd's last answer stays,
    // so the cards keep their splits and badges while the window shows the last figures.
    const auto kept = [sameMeshd](auto fresh, auto &last) {
        if (fresh || !sameMeshd)
            last = std::move(fresh);
        return last;
    };
    result.rollouts = kept(shared(m_client->rollouts()), m_rollouts);
    result.faults = shared(m_client->faults());
    result.splits = kept(shared(m_client->splits()), m_splits);
    result.focus = m_focus;
    if (!m_focus.empty()) {
        // An edge's figures are the callee's, counted from that caller only.
        const auto arrow = m_focus.find('>');
        const std::string service
            = arrow == std::string::npos ? m_focus : m_focus.substr(arrow + 1);
        const std::string from = arrow == std::string::npos ? "" : m_focus.substr(0, arrow);
        result.routes = shared(m_client->routes(service, from));
        result.history = shared(m_client->history(service, from, m_rangeSeconds));
        result.split = shared(m_client->split(service));
    }
    ++m_polls;
}

void MeshClientWorker::setFocus(const QString &focus)
{
    m_focus = focus.toStdString();
    if (m_timer && m_timer->isActive())
        pollNow();
}

void MeshClientWorker::setHistoryRange(int seconds)
{
    m_rangeSeconds = seconds;
    if (m_timer && m_timer->isActive() && !m_focus.empty())
        pollNow();
}

void MeshClientWorker::finishAction(const QString &action, const meshcore::Error *error,
                                    const QString &success)
{
    if (m_actionDone)
        m_actionDone(action, error == nullptr,
                     error ? QString::fromStdString(error->message) : success);
    if (m_timer && m_timer->isActive())
        pollNow();
}

void MeshClientWorker::applySplit(const QString &service,
                                  const std::vector<meshcore::admin::BackendShare> &backends)
{
    const QString action = QStringLiteral("split");
    if (!m_client)
        return finishAction(action, nullptr, {});
    const auto applied = m_client->setSplit(service.toStdString(), backends);
    QString text;
    if (applied)
        for (const auto &b : applied->backends)
            text += (text.isEmpty() ? "" : " ") + QString::fromStdString(b.version) + "="
                + QString::number(b.weight);
    finishAction(action, applied ? nullptr : &applied.error(),
                 QStringLiteral("split of %1 is now %2").arg(service, text));
}

void MeshClientWorker::rotateIssuer()
{
    if (!m_client)
        return;
    const auto report = m_client->rotateIssuer();
    finishAction(
        QStringLiteral("rotate-issuer"), report ? nullptr : &report.error(),
        QStringLiteral("issuer rotated (generation %1)").arg(report ? report->generation : 0));
}

void MeshClientWorker::rotateAnchor(const QString &stage)
{
    if (!m_client)
        return;
    const auto report = m_client->rotateAnchor(stage.toStdString());
    finishAction(QStringLiteral("rotate-anchor"), report ? nullptr : &report.error(),
                 QStringLiteral("trust anchor rotation: %1 done, stage now %2")
                     .arg(stage, report ? QString::fromStdString(report->anchorStage) : QString()));
}

} // namespace meshscope::models
