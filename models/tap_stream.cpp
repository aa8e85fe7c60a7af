#include "models/tap_stream.h"

#include <QMetaObject>

#include <chrono>

#include <nlohmann/json.hpp>

#include "admin/admin_token.h"
#include "admin/api_json.h"
#include "client/admin_client.h"

namespace meshscope::models {

TapStream::TapStream(meshcore::Address address, std::filesystem::path stateDir, QObject *parent)
    : QObject(parent), m_address(std::move(address)), m_stateDir(std::move(stateDir))
{
    qRegisterMetaType<std::vector<meshcore::telemetry::TapEvent>>();
}

TapStream::~TapStream()
{
    stop();
}

void TapStream::setTarget(meshcore::Address address, std::filesystem::path stateDir)
{
    stop();
    m_address = std::move(address);
    m_stateDir = std::move(stateDir);
}

void TapStream::start(const QString &query)
{
    stop();
    m_stop = false;
    {
        const std::lock_guard lock(m_mutex);
        m_pending.clear(); // what the previous filters let through
    }
    std::string path = "/api/v1/tap" + (query.isEmpty() ? std::string() : "?" + query.toStdString());
    m_thread = std::thread([this, path] { run(path); });
}

void TapStream::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

QString TapStream::lastError() const
{
    const std::lock_guard lock(m_mutex);
    return m_error;
}

void TapStream::run(std::string path)
{
    while (!m_stop) {
        meshcore::client::AdminClient::Options options;
        options.address = m_address;
        if (auto token = meshcore::admin::readAdminToken(m_stateDir))
            options.token = *token;
        auto client = meshcore::client::AdminClient::create(options);
        if (client) {
            QMetaObject::invokeMethod(this, [this] { Q_EMIT stateChanged(true, tr("Tapping live requests")); }, Qt::QueuedConnection);
            const auto result = (*client)->streamLines(
                path,
                [this](std::string_view line) {
                    const auto json = nlohmann::json::parse(line, nullptr, false);
                    if (json.is_discarded() || json.value("kind", "") != "request")
                        return true;
                    auto event = meshcore::admin::tapEventFromJson(json);
                    if (!event)
                        return true;
                    const std::lock_guard lock(m_mutex);
                    m_pending.push_back(std::move(*event));
                    if (!m_deliveryQueued) {
                        m_deliveryQueued = true;
                        QMetaObject::invokeMethod(this, &TapStream::deliver, Qt::QueuedConnection);
                    }
                    return true;
                },
                [this] { return m_stop.load(); });
            if (!result) {
                const QString message = QString::fromStdString(result.error().message);
                {
                    const std::lock_guard lock(m_mutex);
                    m_error = message;
                }
                QMetaObject::invokeMethod(this, [this, message] { Q_EMIT stateChanged(false, message); }, Qt::QueuedConnection);
            }
        }
        // The stream ended (meshd went away, or max): try again shortly, unless told to stop.
        for (int i = 0; i < 10 && !m_stop; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

void TapStream::deliver()
{
    std::vector<meshcore::telemetry::TapEvent> events;
    {
        const std::lock_guard lock(m_mutex);
        events.swap(m_pending);
        m_deliveryQueued = false;
    }
    if (!events.empty())
        Q_EMIT arrived(events);
}

} // namespace meshscope::models
