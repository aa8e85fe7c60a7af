#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "control/mesh_config.h"
#include "core/address.h"

namespace meshcore::demo {

// The mesh's built-in traffic (the `load` section; the demo mesh's): `rate` requests per second
// on a steady schedule, to the targets in turn, through the outbound proxy for local clients,
// with at most `concurrency` in flight. libcurl on its own threads, keep-alive to the proxy.
// Thread: create and destroy on one thread; it stops (and joins) in the destructor.
class LoadGenerator {
public:
    // It starts once every port of `workloadPorts` accepts connections (at most 10 s later), so
    // the first requests do not meet workloads still starting.
    LoadGenerator(control::LoadConfig config, Address proxy,
                  std::vector<std::uint16_t> workloadPorts = {});
    ~LoadGenerator();
    LoadGenerator(const LoadGenerator &) = delete;
    LoadGenerator &operator=(const LoadGenerator &) = delete;

    std::uint64_t sent() const { return m_sent; }
    std::uint64_t failed() const { return m_failed; } // no answer, or a 5xx

private:
    void run(unsigned index);
    bool workloadsListening() const;

    control::LoadConfig m_config;
    Address m_proxy;
    std::vector<std::uint16_t> m_workloadPorts;
    std::atomic<std::uint64_t> m_sent {0};
    std::atomic<std::uint64_t> m_failed {0};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::atomic<bool> m_stopping {false}; // read by curl's progress callback: a request in
                                          // flight ends within about a second of stopping
    std::vector<std::thread> m_threads;
};

} // namespace meshcore::demo
