#pragma once

#include <QObject>
#include <QString>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

#include "client/admin_client.h"
#include "models/mesh_snapshot.h"

class QTimer;

namespace meshscope::models {

// Polls meshd's admin API through the blocking libcurl client. Lives on its own QThread: every
// slot runs there, so the GUI thread never waits on the network. Results leave through `publish`,
// a callback that must be safe to call from this thread.
class MeshClientWorker : public QObject {
    Q_OBJECT
public:
    using Publish = std::function<void(PollResultPtr)>;

    MeshClientWorker(meshcore::Address address, std::filesystem::path stateDir, Publish publish);
    ~MeshClientWorker() override;

public Q_SLOTS:
    void start(int intervalMs);
    void setInterval(int intervalMs);
    void pollNow();
    void stop();

private:
    PollResultPtr pollOnce();
    bool reloadToken(meshcore::Error *error);

    meshcore::Address m_address;
    std::filesystem::path m_stateDir;
    Publish m_publish;
    std::unique_ptr<meshcore::client::AdminClient> m_client;
    QTimer *m_timer = nullptr;
    bool m_haveToken = false;
};

} // namespace meshscope::models
