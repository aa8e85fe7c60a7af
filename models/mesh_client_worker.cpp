#include "models/mesh_client_worker.h"

#include <QElapsedTimer>
#include <QTimer>

#include "admin/admin_token.h"

namespace meshscope::models {

MeshClientWorker::MeshClientWorker(meshcore::Address address, std::filesystem::path stateDir,
                                   Publish publish)
    : m_address(std::move(address)), m_stateDir(std::move(stateDir)), m_publish(std::move(publish))
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
    return finish();
}

} // namespace meshscope::models
