#include "models/tap_stream.h"

#include <QMetaObject>

#include <chrono>

#include <nlohmann/json.hpp>

#include "admin/admin_token.h"
#include "admin/api_json.h"
#include "client/admin_client.h"

namespace meshscope::models {

TapStream::TapStream(meshcore::Address address, std::filesystem::path stateDir, QObject *parent)
    : QObject(parent)
    , m_address(std::move(address))
    , m_stateDir(std::move(stateDir))
{
    qRegisterMetaType<std::vector<meshcore::telemetry::TapEvent>>();
}

TapStream::~TapStream()
{
    stop();
    for (auto &run : m_runs) // the only wait: each notices its stop within a second
        run.thread.join();
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
    reapFinished();
    const auto generation = ++m_generation;
    {
        const std::lock_guard lock(m_mutex);
        m_pending.clear(); // what the previous filters let through
    }
    std::string path
        = "/api/v1/tap" + (query.isEmpty() ? std::string() : "?" + query.toStdString());
    Run run {
        {}, std::make_shared<std::atomic<bool>>(false), std::make_shared<std::atomic<bool>>(false)};
    run.thread = std::thread(
        [this, path, address = m_address, stateDir = m_stateDir, generation, stop = run.stop,
         done = run.done] { this->run(path, address, stateDir, generation, stop, done); });
    m_runs.push_back(std::move(run));
}

void TapStream::stop()
{
    ++m_generation; // nothing more from the runs there are
    for (auto &run : m_runs)
        run.stop->store(true);
}

bool TapStream::running() const
{
    return !m_runs.empty() && !m_runs.back().stop->load();
}

void TapStream::reapFinished()
{
    std::erase_if(m_runs, [](Run &run) {
        if (!run.done->load())
            return false;
        run.thread.join(); // it has returned: this does not wait
        return true;
    });
}

QString TapStream::lastError() const
{
    const std::lock_guard lock(m_mutex);
    return m_error;
}

void TapStream::run(std::string path, meshcore::Address address, std::filesystem::path stateDir,
                    std::uint64_t generation, std::shared_ptr<std::atomic<bool>> stop,
                    std::shared_ptr<std::atomic<bool>> done)
{
    const auto current = [this, generation] { return m_generation.load() == generation; };
    while (!stop->load()) {
        meshcore::client::AdminClient::Options options;
        options.address = address;
        if (auto token = meshcore::admin::readAdminToken(stateDir))
            options.token = *token;
        auto client = meshcore::client::AdminClient::create(options);
        if (client) {
            QMetaObject::invokeMethod(
                this,
                [this, current] {
                    if (current())
                        Q_EMIT stateChanged(true, tr("Tapping live requests"));
                },
                Qt::QueuedConnection);
            const auto result = (*client)->streamLines(
                path,
                [this, current](std::string_view line) {
                    const auto json = nlohmann::json::parse(line, nullptr, false);
                    const auto kind = json.is_object() ? json.find("kind") : json.end();
                    if (kind == json.end() || !kind->is_string() || *kind != "request")
                        return true;
                    auto event = meshcore::admin::tapEventFromJson(json);
                    if (!event)
                        return true;
                    const std::lock_guard lock(m_mutex);
                    if (!current())
                        return false; // a newer tap has the screen
                    m_pending.push_back(std::move(*event));
                    if (!m_deliveryQueued) {
                        m_deliveryQueued = true;
                        QMetaObject::invokeMethod(this, &TapStream::deliver, Qt::QueuedConnection);
                    }
                    return true;
                },
                [stop] { return stop->load(); });
            if (!result && !stop->load()) {
                const QString message = QString::fromStdString(result.error().message);
                {
                    const std::lock_guard lock(m_mutex);
                    m_error = message;
                }
                QMetaObject::invokeMethod(
                    this,
                    [this, current, message] {
                        if (current())
                            Q_EMIT stateChanged(false, message);
                    },
                    Qt::QueuedConnection);
            }
        }
        // The stream ended (meshd went away, or max): try again shortly, unless told to stop.
        for (int i = 0; i < 10 && !stop->load(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    done->store(true);
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
