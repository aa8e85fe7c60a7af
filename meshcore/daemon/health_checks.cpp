#include "daemon/health_checks.h"
#include "core/service_key.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/duration.h"
#include "core/loopback.h"
#include "telemetry/unknown_names.h"

namespace meshcore::daemon {
namespace {

using Status = CheckResult::Status;

CheckResult check(std::string name, std::string title)
{
    CheckResult result;
    result.name = std::move(name);
    result.title = std::move(title);
    return result;
}

void worsen(CheckResult &result, Status status, const std::string &message, const std::string &hint, const std::string &subject)
{
    if (static_cast<int>(status) > static_cast<int>(result.status))
        result.status = status;
    result.message += (result.message.empty() ? "" : "; ") + message;
    if (result.hint.empty())
        result.hint = hint;
    if (!subject.empty())
        result.subjects.push_back(subject);
}

CheckResult caCanIssue(const CheckInputs &in)
{
    auto result = check("ca-can-issue", "the mesh CA can issue workload certificates");
    if (auto ready = in.authority->canIssue(); !ready)
        worsen(result, Status::Fail, ready.error().message,
               "rotate the issuer (meshd ca rotate-issuer), or the trust anchor if it expired (meshd ca rotate-anchor --stage add)", "ca");
    return result;
}

CheckResult certificateExpiry(const CheckInputs &in)
{
    auto result = check("certificates", "no certificate of the mesh is expired or about to expire");
    const auto now = in.clock->now();
    for (const auto &entry : in.authority->inventory()) {
        if (entry.state == ca::CertState::Ok)
            continue;
        const bool expired = entry.state == ca::CertState::Expired;
        // Time left, rounded to what a person reads: hours beyond a day, minutes beyond an hour.
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(entry.notAfter - now);
        if (left >= std::chrono::hours(24))
            left = std::chrono::round<std::chrono::hours>(left);
        else if (left >= std::chrono::hours(1))
            left = std::chrono::round<std::chrono::minutes>(left);
        else
            left = std::chrono::round<std::chrono::seconds>(left);
        const std::string what = std::string(ca::inventoryKindName(entry.kind)) + " '" + entry.identity + "'";
        const std::string message = expired ? what + " expired" : what + " expires in " + formatDuration(std::max(left, std::chrono::milliseconds(0)));
        std::string hint = "meshd ca rotate-issuer";
        if (entry.kind == ca::InventoryEntry::Kind::TrustAnchor)
            hint = "rotate the trust anchor in three steps: meshd ca rotate-anchor --stage add, then --stage reissue, then --stage remove";
        else if (entry.kind == ca::InventoryEntry::Kind::Workload)
            hint = "sidecars renew at 70 % of their certificates' lifetime: check that the CA can issue (meshd ca inspect)";
        worsen(result, expired ? Status::Fail : Status::Warn, message, hint, entry.identity);
    }
    return result;
}

CheckResult unknownDestinations(const CheckInputs &in)
{
    std::vector<std::string> known;
    for (const auto &destination : *in.dataPlane->destinations())
        known.push_back(qualifiedName(destination->service, destination->ns));
    return unknownDestinationCheck(known, in.dataPlane->metrics().traffic, in.clock ? in.clock->now() : std::chrono::system_clock::now());
}

CheckResult crashLoops(const CheckInputs &in)
{
    auto result = check("crash-loops", "no supervised process is crash-looping");
    const auto now = in.clock->now();
    for (const auto &process : in.supervisor->processes()) {
        // Failing to stay up now, or restarted often and lately.
        const bool backingOff = process.state == control::Supervisor::State::BackingOff && process.restarts >= 2;
        const bool lately = process.restarts >= 3 && now - process.startedAt < std::chrono::seconds(60);
        if (!backingOff && !lately)
            continue;
        std::string message = process.pod + " has restarted " + std::to_string(process.restarts) + " time"
                              + (process.restarts == 1 ? "" : "s") + " (last exit status " + std::to_string(process.lastExitStatus) + ")";
        if (!process.lastError.empty())
            message += ": " + process.lastError;
        worsen(result, backingOff ? Status::Fail : Status::Warn, message,
               "read its output: " + process.log.string(), process.pod);
    }
    return result;
}

CheckResult workloadsListening(const CheckInputs &in)
{
    auto result = check("workloads-listening", "every workload listens on its port");
    std::map<std::string, const control::Supervisor::ProcessInfo *> supervised;
    const auto processes = in.supervisor->processes();
    for (const auto &p : processes)
        supervised[p.pod] = &p;
    for (const auto &w : in.dataPlane->workloads()) {
        if (loopbackPortAccepts(w.port))
            continue;
        const auto it = supervised.find(w.pod);
        const std::string where = "127.0.0.1:" + std::to_string(w.port);
        if (it == supervised.end())
            worsen(result, Status::Warn, "nothing listens on " + where + " for " + w.pod,
                   "start " + w.service + " there, behind its sidecar: meshd env " + w.pod, w.pod);
        else
            worsen(result, Status::Fail, w.pod + " (pid " + std::to_string(it->second->pid) + ") does not listen on " + where,
                   "read its output: " + it->second->log.string() + " (is the port taken by another program?)", w.pod);
    }
    return result;
}

// The kernel's TCP sockets: local port, remote port, state, inode.
struct TcpSocket {
    std::uint16_t localPort = 0;
    std::uint16_t remotePort = 0;
    bool loopbackRemote = false;
    int state = 0;
    unsigned long inode = 0;
};

std::vector<TcpSocket> tcpSockets()
{
    std::vector<TcpSocket> sockets;
    for (const char *file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream table(file);
        std::string line;
        std::getline(table, line); // header
        while (std::getline(table, line)) {
            std::istringstream fields(line);
            std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout;
            unsigned long inode = 0;
            fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
            const auto port = [](const std::string &address) {
                return static_cast<std::uint16_t>(std::stoul(address.substr(address.find(':') + 1), nullptr, 16));
            };
            if (local.find(':') == std::string::npos || remote.find(':') == std::string::npos)
                continue;
            TcpSocket socket;
            socket.localPort = port(local);
            socket.remotePort = port(remote);
            socket.state = std::stoi(state, nullptr, 16);
            socket.inode = inode;
            sockets.push_back(socket);
        }
    }
    return sockets;
}

// The sockets a process holds, by inode ("self" for meshd).
std::set<unsigned long> socketInodesOf(const std::string &pid)
{
    std::set<unsigned long> inodes;
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator("/proc/" + pid + "/fd", ec)) {
        const auto target = std::filesystem::read_symlink(entry.path(), ec).string();
        if (target.starts_with("socket:["))
            inodes.insert(std::stoul(target.substr(8)));
    }
    return inodes;
}

CheckResult proxyBypass(const CheckInputs &in)
{
    auto result = check("proxy-bypass", "every workload is reached only through its inbound proxy");
    constexpr int Established = 1;
    const auto sockets = tcpSockets();
    const auto own = socketInodesOf("self");
    // Our ends of connections, by their local port: meshd's inbound proxies connecting out.
    std::set<std::uint16_t> ownEphemeral;
    for (const auto &s : sockets)
        if (s.state == Established && own.contains(s.inode))
            ownEphemeral.insert(s.localPort);
    for (const auto &w : in.dataPlane->workloads()) {
        unsigned bypassing = 0;
        for (const auto &s : sockets)
            if (s.state == Established && s.localPort == w.port && !own.contains(s.inode) && !ownEphemeral.contains(s.remotePort))
                ++bypassing;
        if (bypassing > 0)
            worsen(result, Status::Warn,
                   w.pod + " has " + std::to_string(bypassing) + " connection" + (bypassing == 1 ? "" : "s")
                       + " on 127.0.0.1:" + std::to_string(w.port) + " that did not come through its sidecar: no mTLS, no metrics, no policy",
                   "point the callers at their sidecar (http_proxy, see meshd env SERVICE) or at 127.0.0.1:4140 instead of the workload's own port",
                   w.pod);
    }
    return result;
}

// The process (pid and name) holding the socket `inode`, if this user can see it.
std::optional<std::pair<pid_t, std::string>> ownerOf(unsigned long inode)
{
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator("/proc", ec)) {
        const auto name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        if (!socketInodesOf(name).contains(inode))
            continue;
        std::ifstream comm(entry.path() / "comm");
        std::string command;
        std::getline(comm, command);
        return std::make_pair(static_cast<pid_t>(std::stol(name)), command);
    }
    return std::nullopt;
}

// The process group of `pid` (supervised processes lead their own), or 0.
pid_t processGroupOf(pid_t pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')'); // after the command, which may hold spaces
    if (close == std::string::npos)
        return 0;
    std::istringstream fields(line.substr(close + 2));
    std::string state;
    pid_t parent = 0;
    pid_t group = 0;
    fields >> state >> parent >> group;
    return group;
}

CheckResult portsInUse(const CheckInputs &in)
{
    auto result = check("ports-in-use", "every supervised workload's port is held by that workload");
    constexpr int Listen = 10;
    const auto sockets = tcpSockets();
    const auto workloads = in.dataPlane->workloads();
    for (const auto &process : in.supervisor->processes()) {
        const auto w = std::find_if(workloads.begin(), workloads.end(), [&](const WorkloadInfo &x) { return x.pod == process.pod; });
        if (w == workloads.end())
            continue;
        for (const auto &s : sockets) {
            if (s.state != Listen || s.localPort != w->port)
                continue;
            if (process.pid != 0 && socketInodesOf(std::to_string(process.pid)).contains(s.inode))
                break; // its own: the common case, without a walk through /proc
            const auto owner = ownerOf(s.inode);
            if (!owner || (process.pid != 0 && processGroupOf(owner->first) == process.pid))
                continue; // its own (or one of its children), or nobody this user can see
            worsen(result, Status::Fail,
                   "127.0.0.1:" + std::to_string(w->port) + ", the port of " + w->pod + ", is held by another program: " + owner->second
                       + " (pid " + std::to_string(owner->first) + "); requests for " + w->service + " reach it, not " + w->pod,
                   "stop that program, or give " + w->pod + " another port (port: auto picks a free one)", w->pod);
            break;
        }
    }
    return result;
}

CheckResult memoryGrowth(const CheckInputs &in)
{
    auto result = check("memory-growth", "no supervised process's memory keeps growing");
    if (!in.resources)
        return result;
    for (const auto &process : in.supervisor->processes()) {
        const auto usage = in.resources->usage(process.pod);
        if (!usage || usage->pid != process.pid || !control::ResourceSampler::keepsGrowing(*usage))
            continue;
        char trend[64];
        std::snprintf(trend, sizeof trend, "%.1f MiB/min", usage->rssSlopeKibPerMin / 1024);
        worsen(result, Status::Warn,
               process.pod + " (pid " + std::to_string(process.pid) + ") grew from " + std::to_string(usage->firstRssKib / 1024)
                   + " MiB to " + std::to_string(usage->rssKib / 1024) + " MiB in "
                   + formatDuration(std::chrono::milliseconds(static_cast<long long>(usage->spanSeconds * 1000))) + " (+" + trend
                   + ") and keeps growing",
               "a leak? it keeps memory per request or per connection; a restart gets it back for now (meshd restarts a process "
               "that exits), then find what it holds on to",
               process.pod);
    }
    return result;
}

CheckResult configDrift(const CheckInputs &in)
{
    auto result = check("config-in-force", "the configuration in force is the one on disk");
    if (!in.configFile)
        return result; // the embedded demo mesh cannot change
    std::ifstream file(*in.configFile, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    if (!file)
        worsen(result, Status::Warn, in.configFile->string() + " cannot be read any more", "restore the file, or restart meshd with another --config", "config");
    else if (text.str() != in.configInForce && !in.reloadRefusal.empty())
        worsen(result, Status::Warn, in.configFile->string() + " on disk was refused, the previous configuration stays in force: " + in.reloadRefusal,
               "fix the file: meshd applies it as soon as it is valid (or run 'meshd reload' to see why)", "config");
    else if (text.str() != in.configInForce)
        worsen(result, Status::Warn, in.configFile->string() + " changed on disk and is not applied yet",
               "meshd applies it within a second; 'meshd reload' applies it now", "config");
    return result;
}

} // namespace

std::size_t editDistance(const std::string &a, const std::string &b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

CheckResult unknownDestinationCheck(const std::vector<std::string> &known, const telemetry::TrafficStats &traffic, TimePoint now)
{
    auto result = check("unknown-destinations", "every name called in the last minute is a service of the mesh");
    for (const auto &[key, stats] : traffic.edges()) {
        if (key.meshed)
            continue;
        const auto recent = stats->counts(now + std::chrono::seconds(1), std::chrono::seconds(60)); // this second too
        if (recent.requests == 0)
            continue;
        const std::string caller
            = key.srcService + (key.srcVersion.empty() ? "" : "-" + key.srcVersion);
        const std::string answered = std::to_string(recent.requests) + " request"
            + (recent.requests == 1 ? "" : "s") + " answered 503 in the last minute";
        if (key.dstService == telemetry::UnknownNames::Other) {
            worsen(result, Status::Warn,
                   caller + " called more names that no service has than meshd keeps by name ("
                       + answered + ")",
                   "'meshd tap --status 5xx' shows each name", key.dstService);
            continue;
        }
        // Did you mean: the closest service, by its full name or its short one.
        std::string best;
        std::size_t bestDistance = 4;
        for (const auto &name : known) {
            const auto shortName = name.substr(0, name.find('.'));
            const auto distance = std::min(editDistance(key.dstService, name), editDistance(key.dstService, shortName));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = key.dstService.find('.') == std::string::npos ? shortName : name;
            }
        }
        worsen(result, Status::Warn,
               caller + " called '" + key.dstService + "', which no service is (" + answered + ")",
               best.empty()
                   ? "fix the URL in " + caller + ", or add the service to the mesh configuration"
                   : "did you mean " + best + "? fix the URL in " + caller,
               key.dstService);
    }
    return result;
}

std::vector<CheckResult> runChecks(const CheckInputs &inputs)
{
    std::vector<CheckResult> results;
    if (inputs.authority && inputs.clock) {
        results.push_back(caCanIssue(inputs));
        results.push_back(certificateExpiry(inputs));
    }
    if (inputs.dataPlane)
        results.push_back(unknownDestinations(inputs));
    if (inputs.supervisor && inputs.clock)
        results.push_back(crashLoops(inputs));
    if (inputs.dataPlane && inputs.supervisor)
        results.push_back(workloadsListening(inputs));
    if (inputs.dataPlane)
        results.push_back(proxyBypass(inputs));
    if (inputs.dataPlane && inputs.supervisor)
        results.push_back(portsInUse(inputs));
    if (inputs.supervisor)
        results.push_back(memoryGrowth(inputs));
    results.push_back(configDrift(inputs));
    return results;
}

} // namespace meshcore::daemon
