#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "core/address.h"
#include "telemetry/tap.h"

namespace meshscope::models {

// A live tap (GET /api/v1/tap) read on its own thread with libcurl, so the GUI thread never waits
// on it. Requests reach the GUI in batches (at most one queued delivery at a time). When the
// stream breaks (meshd restarted), it opens again after a second, until stopped.
// Thread: created, started and stopped on the GUI thread; `arrived` is emitted there.
class TapStream : public QObject {
    Q_OBJECT
public:
    TapStream(meshcore::Address address, std::filesystem::path stateDir, QObject *parent = nullptr);
    ~TapStream() override;

    // Another meshd (after the app reconnected): closes the tap; start() opens it there.
    void setTarget(meshcore::Address address, std::filesystem::path stateDir);
    // Opens the tap with these filters ("service=api&status=5xx"), closing any open one.
    void start(const QString &query);
    void stop();
    bool running() const { return m_thread.joinable(); }
    QString lastError() const;

Q_SIGNALS:
    void arrived(const std::vector<meshcore::telemetry::TapEvent> &events);
    void stateChanged(bool connected, const QString &message);

private:
    void run(std::string path);
    void deliver();

    meshcore::Address m_address;
    std::filesystem::path m_stateDir;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    std::vector<meshcore::telemetry::TapEvent> m_pending;
    bool m_deliveryQueued = false;
    QString m_error;
};

} // namespace meshscope::models

Q_DECLARE_METATYPE(std::vector<meshcore::telemetry::TapEvent>)
