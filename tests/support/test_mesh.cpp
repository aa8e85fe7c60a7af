#include "tests/support/test_mesh.h"

#include <QFile>
#include <QRegularExpression>

#include <csignal>

#include "admin/admin_token.h"
#include "tests/support/http_backend.h"

namespace meshscope::testing {

QString TestMesh::configFor(const QString &servicesYaml)
{
    return QStringLiteral("mesh: {name: shop}\nservices:\n") + servicesYaml;
}

TestMesh::TestMesh(const QString &servicesYaml, const QStringList &extraArgs)
    : m_extraArgs(extraArgs)
{
    configFile = state.path(QStringLiteral("mesh.yaml"));
    QFile file(configFile);
    if (!file.open(QIODevice::WriteOnly))
        return;
    file.write(configFor(servicesYaml).toUtf8());
    file.close();
    start();
}

bool TestMesh::startAgain()
{
    admin.reset();
    meshd.reset();
    start();
    return meshd != nullptr && admin != nullptr;
}

bool TestMesh::restart()
{
    return meshd && meshd->stop(SIGTERM) == 0 && startAgain();
}

void TestMesh::start()
{
    meshd = MeshdProcess::start(state.stateDirQString(),
                                QStringList {QStringLiteral("--config"), configFile,
                                             QStringLiteral("--workers"), QStringLiteral("2")}
                                    + m_extraArgs);
    if (!meshd)
        return;
    const auto text
        = QRegularExpression(QStringLiteral("outbound proxy for local clients on (\\S+):(\\d+)"))
              .match(meshd->output());
    local = {text.captured(1).toStdString(), static_cast<std::uint16_t>(text.captured(2).toUInt())};
    meshcore::client::AdminClient::Options options;
    options.address = meshd->adminAddress();
    options.token = *meshcore::admin::readAdminToken(state.stateDir());
    admin = std::move(*meshcore::client::AdminClient::create(options));
}

QString TestMesh::metrics() const
{
    return QString::fromStdString(admin->get("/metrics").value_or(""));
}

double TestMesh::sample(const QStringList &parts) const
{
    for (const auto &line : metrics().split(QLatin1Char('\n'))) {
        bool all = !line.startsWith(QLatin1Char('#'));
        for (const auto &part : parts)
            all = all && line.contains(part);
        if (all)
            return line.section(QLatin1Char(' '), -1).toDouble();
    }
    return -1;
}

QString replicas(std::initializer_list<const HttpBackend *> backends)
{
    QString list;
    for (const auto *backend : backends)
        list += (list.isEmpty() ? "" : ", ")
            + QStringLiteral("{port: %1}").arg(backend->address().port);
    return "[" + list + "]";
}

} // namespace meshscope::testing
