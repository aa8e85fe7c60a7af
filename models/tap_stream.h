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
// New filters open a new tap at once: the old one is told to stop and finishes on its own (libcurl
// notices within a second); what it still reads is dropped. Only destruction waits for them.
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
    // Closes the tap without waiting for its thread.
    void stop();
    bool running() const;
    QString lastError() const;

Q_SIGNALS:
    void arrived(const std::vector<meshcore::telemetry::TapEvent> &events);
    void stateChanged(bool connected, const QString &message);

private:
    // One opened tap: its thread and what tells it to stop.
    struct Run {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> stop;
        std::shared_ptr<std::atomic<bool>> done;
    };
    void run(std::string path, meshcore::Address address, std::filesystem::path stateDir,
             std::uint64_t generation, std::shared_ptr<std::atomic<bool>> stop,
             std::shared_ptr<std::atomic<bool>> done);
    void deliver();
    void reapFinished();

    meshcore::Address m_address;
    std::filesystem::path m_stateDir;
    std::vector<Run> m_runs; // the current one last; earlier ones are finishing
    std::atomic<std::uint64_t> m_generation {
        0}; // of the current run: older runs' lines are dropped
    mutable std::mutex m_mutex;
    std::vector<meshcore::telemetry::TapEvent> m_pending;
    bool m_deliveryQueued = false;
    QString m_error;
};

} // namespace meshscope::models

Q_DECLARE_METATYPE(std::vector<meshcore::telemetry::TapEvent>)
