#include "tests/support/rollout_mesh.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include "core/loopback.h"
#include "tests/support/proxy_client.h"

namespace meshscope::testing {
namespace {

// A Python server that answers 500 to `failPercent` % of requests after `delayMs` (argv 2, 3):
// the broken or slow candidate.
constexpr const char *FailingServer = R"(import http.server, random, sys, time
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(float(sys.argv[3]) / 1000)
        bad = random.random() * 100 < float(sys.argv[2])
        body = b"broken\n" if bad else b"ok\n"
        self.send_response(500 if bad else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
)";

// The mesh: service `web` with v1 and v2 run by meshd, v1 Python's http.server, v2 either too or
// the failing server; the split starts all on v1.
} // namespace

QString webService(const QString &dir, int candidateFailPercent, int candidateDelayMs)
{
    QDir().mkpath(dir + "/www");
    QFile index(dir + "/www/index.html");
    (void)index.open(QIODevice::WriteOnly);
    index.write("hello\n");
    index.close();
    QFile failing(dir + "/failing.py");
    (void)failing.open(QIODevice::WriteOnly);
    failing.write(FailingServer);
    failing.close();
    const auto staticServer
        = QStringLiteral("exec python3 -m http.server $PORT --bind 127.0.0.1 --directory %1/www")
              .arg(dir);
    const auto candidate = candidateFailPercent > 0 || candidateDelayMs > 0
        ? QStringLiteral("exec python3 %1/failing.py $PORT %2 %3")
              .arg(dir)
              .arg(candidateFailPercent)
              .arg(candidateDelayMs)
        : staticServer;
    return QStringLiteral("  - name: web\n"
                          "    namespace: shop\n"
                          "    versions:\n"
                          "      - {name: v1, replicas: [{port: auto, command: \"%1\"}]}\n"
                          "      - {name: v2, replicas: [{port: auto, command: \"%2\"}]}\n"
                          "    split: [{version: v1, weight: 100}, {version: v2, weight: 0}]\n")
        .arg(staticServer, candidate);
}

QStringList where(const TestMesh &mesh)
{
    return {QStringLiteral("--admin"), mesh.meshd->adminAddressText(),
            QStringLiteral("--state-dir"), mesh.state.stateDirQString()};
}

// The rollout of web once it is in `phase` (polled through the admin API), or nothing after
// `timeout`.
std::optional<meshcore::rollout::RolloutStatus>
waitForRollout(const TestMesh &mesh, meshcore::rollout::Phase phase, std::chrono::seconds timeout)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < std::chrono::milliseconds(timeout).count()) {
        if (auto status = mesh.admin->rollout("web.shop"); status && status->phase == phase)
            return *status;
        QTest::qWait(200);
    }
    const auto last = mesh.admin->rollout("web.shop");
    qWarning("the rollout is %s, not %s: %s",
             last ? meshcore::rollout::phaseName(last->phase) : "gone",
             meshcore::rollout::phaseName(phase), last ? last->reason.c_str() : "");
    return std::nullopt;
}

unsigned webWeight(const TestMesh &mesh, const char *version)
{
    const auto split = mesh.admin->split("web.shop");
    for (const auto &b : split ? split->backends : std::vector<meshcore::admin::BackendShare> {})
        if (b.version == version)
            return b.weight;
    return 1000;
}

bool waitUntilServing(const TestMesh &mesh)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 15000) {
        const auto workloads = mesh.admin->workloads();
        bool all = workloads && !workloads->empty();
        for (const auto &w :
             workloads ? *workloads : std::vector<meshcore::admin::WorkloadStatus> {})
            all = all && w.port != 0 && meshcore::loopbackPortAccepts(w.port);
        if (all)
            return true;
        QTest::qWait(100);
    }
    qWarning("the mesh's workloads did not all start listening within 15 s");
    return false;
}

RolloutMesh::RolloutMesh(int candidateFailPercent, int candidateDelayMs, const QString &extraYaml)
    : TestMesh(webService(QTemporaryDir::path(), candidateFailPercent, candidateDelayMs)
               + extraYaml)
{
}

MeshdRun RolloutMesh::run(const QStringList &args) const
{
    return runMeshd(args + where(*this));
}

RolloutUsers::RolloutUsers(const meshcore::Address &proxy)
    : m_thread([this, proxy] {
        ProxyClient client(proxy);
        while (!m_stop) {
            const auto status = client.get("http://web.shop/").result_int();
            ++m_sent;
            m_failed += status == 200 ? 0 : 1;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    })
{
}

void RolloutUsers::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace meshscope::testing
