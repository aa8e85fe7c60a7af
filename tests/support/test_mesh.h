#pragma once

#include <QString>
#include <QStringList>

#include <initializer_list>
#include <memory>

#include "client/admin_client.h"
#include "core/address.h"
#include "tests/support/meshd_process.h"
#include "tests/support/temp_state.h"

namespace meshscope::testing {

class HttpBackend;

// A real meshd running a mesh.yaml made of `servicesYaml` (the `services:` list), with the
// address of its outbound proxy for local clients and an admin client holding the token.
struct TestMesh {
    TempState state;
    QString configFile; // <state>/mesh.yaml
    std::unique_ptr<MeshdProcess> meshd;
    meshcore::Address local;
    std::unique_ptr<meshcore::client::AdminClient> admin;

    explicit TestMesh(const QString &servicesYaml, const QStringList &extraArgs = {});
    // Starts meshd again (once the test stopped it) on the same state directory and config file
    // (as it is on disk now); true when it came up.
    bool startAgain();
    // Stops meshd with SIGTERM and starts it again; true when it stopped cleanly and came back.
    bool restart();
    // The whole mesh.yaml for `servicesYaml`, as the constructor writes it.
    static QString configFor(const QString &servicesYaml);

    QString metrics() const;
    // The value of the first sample of /metrics whose line contains every one of `parts`, or -1.
    double sample(const QStringList &parts) const;

private:
    void start(); // meshd on configFile, then `local` and `admin`
    QStringList m_extraArgs;
};

// "[{port: 1234}, {port: 1235}]": the replicas list for these backends.
QString replicas(std::initializer_list<const HttpBackend *> backends);

} // namespace meshscope::testing
