#pragma once

// The explorer's window (offscreen) on a real meshd running the demo mesh, for the GUI tests.

#include <QTest>

#include <memory>

#include "admin/admin_token.h"
#include "client/admin_client.h"
#include "models/explorer_models.h"
#include "models/mesh_connection.h"
#include "models/mesh_graph.h"
#include "tests/support/meshd_process.h"
#include "tests/support/temp_state.h"
#include "ui/main_window.h"

namespace meshscope::testing {

// A real demo meshd, the app's connection to it, and the window.
struct App {
    TempState state;
    std::unique_ptr<MeshdProcess> meshd;
    std::unique_ptr<meshscope::models::MeshConnection> connection;
    std::unique_ptr<meshscope::models::ExplorerModels> models;
    std::unique_ptr<meshscope::ui::MainWindow> window;

    App()
    {
        meshd = MeshdProcess::start(state.stateDirQString());
        if (!meshd)
            return;
        meshscope::models::MeshConnection::Options options;
        options.address = meshd->adminAddress();
        options.stateDir = state.stateDir();
        options.startMeshdIfAbsent = false;
        options.pollIntervalMs = 300;
        connection = std::make_unique<meshscope::models::MeshConnection>(options);
        models = std::make_unique<meshscope::models::ExplorerModels>(connection.get());
        window = std::make_unique<meshscope::ui::MainWindow>(connection.get(), models.get());
        window->show();
        connection->start();
    }
    ~App()
    {
        window.reset();
        models.reset();
        if (connection)
            connection->shutdown();
    }
    std::unique_ptr<meshcore::client::AdminClient> admin() const
    {
        meshcore::client::AdminClient::Options options;
        options.address = meshd->adminAddress();
        options.token = *meshcore::admin::readAdminToken(state.stateDir());
        return std::move(*meshcore::client::AdminClient::create(options));
    }
    // The whole demo mesh, with traffic on its edges.
    bool waitForTheMesh() const
    {
        int busy = 0;
        const bool ok = QTest::qWaitFor(
            [&] {
                busy = 0;
                for (const auto &edge : models->graph()->edges())
                    busy += edge.traffic.requests > 0 ? 1 : 0;
                return models->graph()->nodes().size() >= 8 && busy >= 8;
            },
            60000); // a busy CI machine starts the demo's replicas slowly
        if (!ok) { // say what there was, for the next person
            QStringList idle;
            for (const auto &edge : models->graph()->edges())
                if (edge.traffic.requests == 0)
                    idle << edge.key;
            qWarning("the demo mesh did not show in 60 s: %lld nodes, %d edges with traffic "
                     "(idle: %s); connection: %s",
                     static_cast<long long>(models->graph()->nodes().size()), busy,
                     qPrintable(idle.join(QStringLiteral(", "))),
                     qPrintable(connection->statusText()));
        }
        return ok;
    }
};

} // namespace meshscope::testing
