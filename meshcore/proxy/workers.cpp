#include "proxy/workers.h"

#include <condition_variable>
#include <iostream>
#include <mutex>

#include <boost/asio/post.hpp>

#include "core/last_resort.h"

namespace meshcore::proxy {

void Worker::beginDrain()
{
    m_draining = true;
    // Pooled connections go at once (and the pools take no more)...
    const auto residents = m_residents;
    for (auto *resident : residents)
        resident->releaseConnections();
    // ...and shutting an idle client connection down wakes its session's pending read with an
    // error; the session then ends and closes it. (Copy first: their IdleScopes erase themselves as
    // they unwind.)
    const auto idle = m_idle;
    for (auto *socket : idle) {
        boost::system::error_code ignored;
        socket->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        socket->cancel(ignored);
    }
}

Workers::Workers(unsigned count)
{
    for (unsigned i = 0; i < std::max(1u, count); ++i) {
        m_workers.push_back(std::make_unique<Worker>(i));
        m_guards.push_back(boost::asio::make_work_guard(m_workers.back()->io()));
    }
}

Workers::~Workers()
{
    for (auto &worker : m_workers)
        worker->io().stop();
    for (auto &thread : m_threads)
        thread.join();
    // Connections outlive no event loop: pooled ones go while every loop exists, then the loops
    // (with any sessions a deadline cut off), then the workers.
    for (auto &worker : m_workers) {
        const auto residents = worker->m_residents;
        for (auto *resident : residents)
            resident->releaseConnections();
    }
    m_guards.clear();
    for (auto &worker : m_workers)
        worker->m_io.reset();
}

Worker &Workers::next()
{
    return *m_workers[m_next.fetch_add(1, std::memory_order_relaxed) % m_workers.size()];
}

void Workers::start()
{
    for (auto &worker : m_workers)
        m_threads.emplace_back([io = &worker->io()] {
            runLoopReportingExceptions(*io, std::cerr, "data-plane worker");
        });
}

bool Workers::drainConnections(std::chrono::milliseconds deadline)
{
    for (auto &worker : m_workers)
        boost::asio::post(worker->io(), [w = worker.get()] { w->beginDrain(); });
    m_guards.clear(); // each loop returns once its connections are done

    std::mutex mutex;
    std::condition_variable done;
    bool joined = false;
    bool inTime = true;
    std::thread watchdog([&] {
        std::unique_lock lock(mutex);
        if (!done.wait_for(lock, deadline, [&] { return joined; })) {
            inTime = false;
            for (auto &worker : m_workers)
                worker->io().stop();
        }
    });
    for (auto &thread : m_threads)
        thread.join();
    m_threads.clear();
    {
        std::lock_guard lock(mutex);
        joined = true;
    }
    done.notify_all();
    watchdog.join();
    return inTime;
}

} // namespace meshcore::proxy
