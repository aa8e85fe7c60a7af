#include "control/supervisor.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "core/descriptor_limit.h"
#include "core/private_path.h"
#include "core/state_dir.h"

extern char **environ;

namespace meshcore::control {
namespace {
constexpr auto MinBackoff = std::chrono::seconds(1);
constexpr auto MaxBackoff = std::chrono::seconds(30);
constexpr auto HealthyRun = std::chrono::seconds(10);
} // namespace

struct Supervisor::Child {
    Spec spec;
    ProcessInfo info;
    std::chrono::seconds backoff = MinBackoff;
    TimePoint nextStart {};
};

Supervisor::Supervisor(std::filesystem::path logDir, const Clock &clock)
    : m_logDir(std::move(logDir))
    , m_clock(clock)
{
}

Supervisor::~Supervisor()
{
    stopAll(std::chrono::seconds(5));
}

const char *Supervisor::stateName(State state)
{
    switch (state) {
    case State::Running:
        return "running";
    case State::BackingOff:
        return "backing-off";
    case State::Stopped:
        return "stopped";
    }
    return "unknown";
}

void Supervisor::add(Spec spec)
{
    // A failure shows when the log is opened (meshd up checked logs/ when it started).
    (void)ensurePrivateDir(m_logDir);
    Child child;
    child.info.pod = spec.pod;
    child.info.log = m_logDir / (spec.pod + ".log");
    child.spec = std::move(spec);
    m_children.push_back(std::move(child));
    start(m_children.back());
}

void Supervisor::start(Child &child)
{
    // Everything the child needs is built before fork(): after it, only async-signal-safe calls.
    std::map<std::string, std::string> environment;
    for (char **e = environ; *e; ++e) {
        const std::string entry(*e);
        const auto equals = entry.find('=');
        if (equals != std::string::npos)
            environment[entry.substr(0, equals)] = entry.substr(equals + 1);
    }
    for (const auto &[name, value] : child.spec.env)
        environment[name] = value;
    std::vector<std::string> envStrings;
    for (const auto &[name, value] : environment)
        envStrings.push_back(name + "=" + value);
    std::vector<char *> envp;
    for (auto &s : envStrings)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = child.spec.command;
    std::vector<char *> argv;
    for (auto &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    // Never appended through a planted link (meshd may run as root).
    auto opened = openPrivateFile(child.info.log, O_WRONLY | O_CREAT | O_APPEND);
    const int log = opened ? *opened : -1;
    const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (log < 0 || devNull < 0) {
        child.info.lastError = opened
            ? "cannot open /dev/null: " + std::string(std::strerror(errno))
            : opened.error().message;
        if (log >= 0)
            ::close(log);
        if (devNull >= 0)
            ::close(devNull);
        child.info.state = State::BackingOff;
        child.nextStart = m_clock.now() + child.backoff;
        return;
    }
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(127); // meshd died between fork and prctl
        ::dup2(devNull, 0);
        ::dup2(log, 1);
        ::dup2(log, 2);
        // Nothing else of meshd's goes with it: an inherited listener or connection would stay
        // open as long as the workload lives (a port meshd cannot bind again, a FIN never sent).
        if (::close_range(3, ~0U, 0) != 0)
            for (int fd = 3; fd < 65536; ++fd)
                ::close(fd);
        restoreInheritedDescriptorLimit();
        ::execvpe(argv[0], argv.data(), envp.data());
        const char message[] = "meshd: cannot execute the workload's command\n";
        [[maybe_unused]] const auto n = ::write(2, message, sizeof message - 1);
        ::_exit(127);
    }
    ::close(log);
    ::close(devNull);
    if (pid < 0) {
        child.info.lastError = std::string("fork failed: ") + std::strerror(errno);
        child.info.state = State::BackingOff;
        child.nextStart = m_clock.now() + child.backoff;
        return;
    }
    ::setpgid(pid, pid); // also from here, so the group exists whichever side runs first
    child.info.pid = pid;
    child.info.state = State::Running;
    child.info.startedAt = m_clock.now();
    child.info.lastError.clear();
}

void Supervisor::remove(const std::string &pod, std::chrono::milliseconds after,
                        std::chrono::milliseconds grace)
{
    const auto found = std::find_if(m_children.begin(), m_children.end(),
                                    [&](const Child &c) { return c.spec.pod == pod; });
    if (found == m_children.end())
        return;
    if (found->info.state == State::Running) {
        const TimePoint now = m_clock.now();
        m_leaving.push_back({found->info.pid, now + after, now + after + grace, false});
    }
    m_children.erase(found);
}

void Supervisor::tick()
{
    const TimePoint now = m_clock.now();
    std::erase_if(m_leaving, [&](Leaving &leaving) {
        int status = 0;
        const pid_t done = ::waitpid(leaving.pid, &status, WNOHANG);
        if (done == leaving.pid || done < 0) // reaped, or not ours to reap any more
            return true;
        if (!leaving.termSent && now >= leaving.termAt) {
            ::kill(-leaving.pid, SIGTERM);
            leaving.termSent = true;
        } else if (leaving.termSent && now >= leaving.killAt) {
            ::kill(-leaving.pid, SIGKILL);
        }
        return false;
    });
    for (auto &child : m_children) {
        if (child.info.state == State::Running) {
            int status = 0;
            const pid_t done = ::waitpid(child.info.pid, &status, WNOHANG);
            if (done != child.info.pid)
                continue;
            child.info.lastExitStatus
                = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            child.info.pid = 0;
            // A process that ran a while gets a fresh start; a crash loop backs off.
            child.backoff = now - child.info.startedAt >= HealthyRun
                ? MinBackoff
                : std::min(child.backoff * 2, MaxBackoff);
            child.info.state = State::BackingOff;
            child.nextStart = now + child.backoff;
        } else if (child.info.state == State::BackingOff && now >= child.nextStart) {
            ++child.info.restarts;
            start(child);
        }
    }
}

void Supervisor::stopAll(std::chrono::milliseconds grace)
{
    // Removed processes still on their way out go with the rest.
    for (const auto &leaving : m_leaving) {
        Child child;
        child.info.pid = leaving.pid;
        child.info.state = State::Running;
        m_children.push_back(std::move(child));
    }
    m_leaving.clear();
    bool any = false;
    for (auto &child : m_children)
        if (child.info.state == State::Running) {
            ::kill(-child.info.pid, SIGTERM);
            any = true;
        }
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (any) {
        any = false;
        for (auto &child : m_children) {
            if (child.info.state != State::Running)
                continue;
            int status = 0;
            if (::waitpid(child.info.pid, &status, WNOHANG) == child.info.pid) {
                child.info.state = State::Stopped;
                child.info.pid = 0;
                child.info.lastExitStatus
                    = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                continue;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                ::kill(-child.info.pid, SIGKILL);
                ::waitpid(child.info.pid, &status, 0);
                child.info.state = State::Stopped;
                child.info.pid = 0;
                continue;
            }
            any = true;
        }
        if (any)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (auto &child : m_children)
        child.info.state = State::Stopped;
    std::erase_if(m_children,
                  [](const Child &child) { return child.spec.pod.empty(); }); // the removed ones
}

std::vector<Supervisor::ProcessInfo> Supervisor::processes() const
{
    std::vector<ProcessInfo> out;
    for (const auto &child : m_children)
        out.push_back(child.info);
    return out;
}

} // namespace meshcore::control
