// The worker's rollout actions and runtime faults (mesh_client_worker.h): each runs on the
// client thread and ends in finishAction, with meshd's own sentence when it refused.
#include "models/mesh_client_worker.h"

#include "core/state_dir.h"
#include "export/live_state.h"
#include "models/rollout_action_rules.h"
#include "models/rollout_text.h"

namespace meshscope::models {

void MeshClientWorker::startRollout(const meshcore::control::RolloutSpec &spec)
{
    const QString action = QStringLiteral("rollout-start");
    if (!m_client) {
        const meshcore::Error error {meshcore::ErrorCode::ConnectionRefused, "not connected"};
        return finishAction(action, &error, {});
    }
    const auto started = m_client->startRollout(spec);
    finishAction(action, started ? nullptr : &started.error(),
                 started ? tr("rollout of %1 started: %2 at %3 %")
                               .arg(rolloutService(*started),
                                    QString::fromStdString(started->spec.candidate))
                               .arg(started->weight)
                         : QString());
}

void MeshClientWorker::rolloutAction(const QString &service, meshcore::rollout::Action action,
                                     std::optional<unsigned> weight)
{
    const QString name = QStringLiteral("rollout-%1").arg(meshcore::rollout::actionName(action));
    if (!m_client) {
        const meshcore::Error error {meshcore::ErrorCode::ConnectionRefused, "not connected"};
        return finishAction(name, &error, {});
    }
    const auto done = m_client->rolloutAction(service.toStdString(), action, weight);
    finishAction(name, done ? nullptr : &done.error(),
                 done ? actionDoneText(*done, action) : QString());
}

void MeshClientWorker::exportTo(const QString &path)
{
    const QString name = QStringLiteral("export");
    if (!m_client) {
        const meshcore::Error error {meshcore::ErrorCode::ConnectionRefused, "not connected"};
        return finishAction(name, &error, {});
    }
    auto config = meshcore::kube::runningMeshConfig(*m_client);
    if (!config)
        return finishAction(name, &config.error(), {});
    meshcore::kube::ExportOptions options;
    options.source = config->source;
    const auto yaml = meshcore::kube::meshDocuments(*config, options);
    const auto written = meshcore::writeFileAtomically(path.toStdString(), yaml, 0644);
    int documents = 0; // each starts with its apiVersion at the start of a line
    for (std::size_t at = 0; (at = yaml.find("apiVersion: ", at)) != std::string::npos; ++at)
        documents += at == 0 || yaml[at - 1] == '\n' ? 1 : 0;
    finishAction(name, written ? nullptr : &written.error(),
                 tr("wrote %1 Kubernetes documents for %2 to %3")
                     .arg(documents)
                     .arg(QString::fromStdString(config->name), path));
}

void MeshClientWorker::setFault(const QString &service, const QString &version,
                                const std::optional<meshcore::admin::FaultSpec> &fault)
{
    const QString name = fault ? QStringLiteral("fault-set") : QStringLiteral("fault-clear");
    if (!m_client) {
        const meshcore::Error error {meshcore::ErrorCode::ConnectionRefused, "not connected"};
        return finishAction(name, &error, {});
    }
    const auto svc = service.toStdString();
    const auto ver = version.toStdString();
    if (fault) {
        const auto set = m_client->setFault(svc, ver, *fault);
        return finishAction(name, set ? nullptr : &set.error(),
                            tr("%1 of %2 now fails %3 % of its requests with %4 and delays %5 % "
                               "by %6 ms")
                                .arg(version, service)
                                .arg(fault->abortPercent)
                                .arg(fault->abortStatus)
                                .arg(fault->delayPercent)
                                .arg(fault->delayMs));
    }
    const auto cleared = m_client->clearFault(svc, ver);
    finishAction(name, cleared ? nullptr : &cleared.error(),
                 tr("%1 of %2 answers on its own again").arg(version, service));
}

} // namespace meshscope::models
