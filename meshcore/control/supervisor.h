#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace meshcore::control {

// Runs the workloads whose replicas have a command: starts each in its own process group with
// the environment it is given (meshd puts http_proxy there), appends its output to
// <logDir>/<pod>.log, restarts it with backoff (1 s doubling to 30 s, reset once it ran for 10 s)
// when it exits, and stops it on shutdown (SIGTERM to the group, SIGKILL after a grace period).
// Children get SIGTERM if meshd itself dies (PR_SET_PDEATHSIG).
// Thread: owned by the control thread, which calls tick() about once a second.
class Supervisor {
public:
    struct Spec {
        std::string pod;
        std::vector<std::string> command;
        std::map<std::string, std::string> env; // added to meshd's own environment
    };

    enum class State { Running, BackingOff, Stopped };

    struct ProcessInfo {
        std::string pod;
        pid_t pid = 0; // 0 when not running
        State state = State::Stopped;
        int restarts = 0;
        int lastExitStatus = 0; // exit code, or 128 + signal
        std::string lastError; // why it could not be started, if it could not
        TimePoint startedAt {};
        std::filesystem::path log;
    };

    Supervisor(std::filesystem::path logDir, const Clock &clock);
    ~Supervisor();
    Supervisor(const Supervisor &) = delete;
    Supervisor &operator=(const Supervisor &) = delete;

    // Starts the process now.
    void add(Spec spec);
    // Takes the process out of the supervision now (it is not restarted any more and no longer
    // listed); it gets SIGTERM after `after` (the time requests in flight get to finish), and
    // SIGKILL `grace` later if it is still there. A new process may take the same pod name at once.
    void remove(const std::string &pod, std::chrono::milliseconds after,
                std::chrono::milliseconds grace);
    // Reaps processes that exited and restarts those whose backoff is over; stops removed ones.
    void tick();
    // Stops every process: SIGTERM to its group, SIGKILL to what is left after `grace`.
    void stopAll(std::chrono::milliseconds grace);

    std::vector<ProcessInfo> processes() const;
    static const char *stateName(State state);

private:
    struct Child;
    void start(Child &child);

    std::filesystem::path m_logDir;
    const Clock &m_clock;
    std::vector<Child> m_children;
    struct Leaving {
        pid_t pid = 0;
        TimePoint termAt {};
        TimePoint killAt {};
        bool termSent = false;
    };
    std::vector<Leaving> m_leaving;
};

} // namespace meshcore::control
