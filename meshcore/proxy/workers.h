#pragma once

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <unordered_set>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace meshcore::proxy {

// Something that holds connections on a worker outside any session (a connection pool): the
// worker has it let them go before its event loop is destroyed.
class WorkerResident {
public:
    virtual void releaseConnections() = 0;

protected:
    ~WorkerResident() = default;
};

// One data-plane thread and its event loop. A connection lives on one worker from accept to
// close, with everything it touches (its upstream, the pool it returns that upstream to), so the
// request path takes no locks and wakes no other thread (Envoy's worker model).
// Thread: every member except io() runs on the worker's own thread.
class Worker {
public:
    explicit Worker(unsigned index)
        : m_index(index)
    {
    }
    Worker(const Worker &) = delete;
    Worker &operator=(const Worker &) = delete;

    unsigned index() const { return m_index; }
    boost::asio::io_context &io() { return *m_io; }

    // Set once shutdown began: a session finishes the exchange in flight, answers it with
    // "Connection: close" and ends instead of waiting for another request.
    bool draining() const { return m_draining; }

    // An idle connection (a client's between requests, or a pooled upstream) is shut down at once
    // when the worker drains, rather than left to its idle timeout. Pending reads and waits on it
    // then complete, and its owner lets it go.
    void addIdle(boost::asio::ip::tcp::socket &socket) { m_idle.insert(&socket); }
    void removeIdle(boost::asio::ip::tcp::socket &socket) { m_idle.erase(&socket); }

    void addResident(WorkerResident &resident) { m_residents.insert(&resident); }
    void removeResident(WorkerResident &resident) { m_residents.erase(&resident); }

    // addIdle() for as long as it lives.
    class IdleScope {
    public:
        IdleScope(Worker &worker, boost::asio::ip::tcp::socket &socket)
            : m_worker(worker)
            , m_socket(socket)
        {
            m_worker.addIdle(m_socket);
        }
        ~IdleScope() { m_worker.removeIdle(m_socket); }
        IdleScope(const IdleScope &) = delete;
        IdleScope &operator=(const IdleScope &) = delete;

    private:
        Worker &m_worker;
        boost::asio::ip::tcp::socket &m_socket;
    };

private:
    friend class Workers;
    void beginDrain();

    const unsigned m_index;
    bool m_draining = false;
    std::unordered_set<boost::asio::ip::tcp::socket *> m_idle;
    std::unordered_set<WorkerResident *> m_residents;
    // Destroyed by ~Workers before any Worker: the sessions still suspended in it go with it, and
    // they may leave m_idle or a resident of another worker as they go.
    std::unique_ptr<boost::asio::io_context> m_io = std::make_unique<boost::asio::io_context>(1);
};

// The data plane's threads, `--workers N` of them. Listeners accept on worker 0 and hand each
// new connection to the next worker in turn.
class Workers {
public:
    explicit Workers(unsigned count);
    ~Workers();
    Workers(const Workers &) = delete;
    Workers &operator=(const Workers &) = delete;

    unsigned size() const { return static_cast<unsigned>(m_workers.size()); }
    Worker &at(unsigned index) { return *m_workers[index]; }
    Worker &acceptor() { return *m_workers.front(); }
    Worker &next(); // round robin, for a new connection (any thread)

    // Starts one thread per worker. Before that, work posted to them waits.
    void start();

    // Graceful shutdown: runs `stopListeners` on worker 0, closes idle connections, lets the
    // exchanges in flight finish for up to `deadline`, then stops every loop. True if all work
    // finished in time. Call from outside the workers; afterwards the workers are stopped.
    template <typename StopListeners>
    bool drain(StopListeners stopListeners, std::chrono::milliseconds deadline)
    {
        boost::asio::post(acceptor().io(), std::move(stopListeners));
        return drainConnections(deadline);
    }

private:
    bool drainConnections(std::chrono::milliseconds deadline);

    std::vector<std::unique_ptr<Worker>> m_workers;
    std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> m_guards;
    std::vector<std::thread> m_threads;
    std::atomic<unsigned> m_next {0};
};

} // namespace meshcore::proxy
