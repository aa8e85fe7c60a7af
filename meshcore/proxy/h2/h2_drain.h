#pragma once

// Drains an HTTP/2 connection when its worker drains, for as long as it lives: GOAWAY, and the
// streams under way finish within the worker's drain. Internal to proxy/.

#include "proxy/workers.h"

namespace meshcore::proxy::h2 {

template <class Connection> class DrainWithWorker final : public WorkerResident {
public:
    DrainWithWorker(Worker &worker, Connection &connection)
        : m_worker(worker)
        , m_connection(connection)
    {
        m_worker.addResident(*this);
        if (m_worker.draining()) // it began while the connection was being set up
            m_connection.drain();
    }
    ~DrainWithWorker() { m_worker.removeResident(*this); }
    DrainWithWorker(const DrainWithWorker &) = delete;
    DrainWithWorker &operator=(const DrainWithWorker &) = delete;
    void releaseConnections() override { m_connection.drain(); }

private:
    Worker &m_worker;
    Connection &m_connection;
};

} // namespace meshcore::proxy::h2
