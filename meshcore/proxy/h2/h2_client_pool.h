#pragma once

// HTTP/2 client connections of one proxy on one worker, by peer: a sidecar's inbound (over mTLS,
// ALPN h2) or a workload (h2c). A stream goes on a connection to its peer that has room under the
// peer's SETTINGS_MAX_CONCURRENT_STREAMS, or on a new one; callers that arrive while a connection
// is being made wait for it rather than each making their own. The key says what a connection
// is to, and as whom (the client certificate's context), so a renewed certificate opens new
// connections and the old ones are left to finish. Thread: the worker's.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "proxy/attempt.h"
#include "proxy/h2/h2_connection.h"
#include "proxy/workers.h"

namespace meshcore::proxy::h2 {

// A stream opened on a pooled connection, or why none could be.
struct PooledStream {
    std::shared_ptr<H2Stream> stream;
    ConnectFailure failure;
};

template <class Stream> class H2ClientPool final : public WorkerResident {
public:
    using Connection = H2Connection<Stream>;
    // A new transport to the key's peer: the stream, or the failure.
    struct Connected {
        std::optional<Stream> stream;
        ConnectFailure failure;
    };

    H2ClientPool(Worker &worker, const MonotonicClock &clock, H2Limits limits = {})
        : m_worker(worker)
        , m_clock(clock)
        , m_limits(limits)
    {
        m_worker.addResident(*this);
    }
    ~H2ClientPool()
    {
        m_worker.removeResident(*this);
        for (auto &[key, peer] : *m_peers)
            for (auto &connection : peer.connections)
                connection->abort("the proxy stopped");
    }
    H2ClientPool(const H2ClientPool &) = delete;
    H2ClientPool &operator=(const H2ClientPool &) = delete;

    // A stream for `head` to `key`'s peer; `connect()` (a coroutine returning Connected) makes a
    // connection when none has room. Parameters by value: they live in the coroutine's frame.
    template <class Connect>
    asio::awaitable<PooledStream> open(std::string key, Headers head, bool endStream,
                                       Connect connect)
    {
        // A wait for a connection someone else makes costs no try (it may fill up before this
        // caller's turn: many streams wait at once); a failed open or a connect made here does.
        for (int tries = 0, looks = 0; tries < 3 && looks < 1000; ++looks) {
            auto &peer = (*m_peers)[key];
            if (auto *connection = roomy(peer)) {
                auto opened = connection->open(head, endStream);
                if (opened)
                    co_return PooledStream {std::move(*opened), {}};
                connection->drain(); // (out of stream ids, say): it takes no more
                ++tries;
                continue;
            }
            if (peer.connecting) {
                auto attempt = peer.connecting; // (the peer entry may go while we wait)
                beast::error_code ignored;
                co_await attempt->done.async_wait(
                    asio::redirect_error(asio::use_awaitable, ignored));
                if (attempt->failure.failed())
                    co_return PooledStream {{}, attempt->failure};
                continue;
            }
            ++tries;
            Connecting connecting(*m_peers, key, m_worker.io());
            auto connected = co_await connect();
            connecting.ended(connected.failure);
            auto &now = (*m_peers)[key];
            if (!connected.stream)
                co_return PooledStream {{}, connected.failure};
            auto *connection = add(key, now, std::move(*connected.stream));
            if (!connection)
                co_return PooledStream {{}, ConnectFailure {"HTTP/2: no session", {}}};
            // This stream first: a draining worker's new connection carries it, and no other.
            auto opened = connection->open(head, endStream);
            if (m_worker.draining())
                connection->drain();
            if (opened)
                co_return PooledStream {std::move(*opened), {}};
        }
        co_return PooledStream {{}, ConnectFailure {"no HTTP/2 connection had room", {}}};
    }

    // The worker drains: every connection sends GOAWAY and ends once its streams are done. Once
    // its loop has stopped (Workers' destructor), they are aborted and let go while it exists.
    void releaseConnections() override
    {
        const bool stopped = m_worker.io().stopped();
        for (auto &[key, peer] : *m_peers)
            for (auto &connection : peer.connections) {
                if (stopped)
                    connection->abort("the proxy stopped");
                else
                    connection->drain();
            }
        if (stopped)
            m_peers->clear();
    }

    std::size_t connectionCount() const
    {
        std::size_t count = 0;
        for (const auto &[key, peer] : *m_peers)
            count += peer.connections.size();
        return count;
    }

private:
    // A connection being made: `done` (a condition) is cancelled when it is, `failure` says how.
    struct Attempt {
        explicit Attempt(asio::io_context &io)
            : done(io, asio::steady_timer::time_point::max())
        {
        }
        asio::steady_timer done;
        ConnectFailure failure;
    };
    struct Peer {
        std::vector<std::shared_ptr<Connection>> connections;
        std::shared_ptr<Attempt> connecting; // while one is being made
    };

    static Connection *roomy(Peer &peer)
    {
        for (auto &connection : peer.connections)
            if (!connection->ended() && connection->core().canOpen())
                return connection.get();
        return nullptr;
    }

    Connection *add(const std::string &key, Peer &peer, Stream stream)
    {
        auto connection = Connection::client(std::move(stream), m_limits, m_clock);
        if (!connection)
            return nullptr;
        peer.connections.push_back(*connection);
        asio::co_spawn(m_worker.io(), runThenForget(m_peers, key, *connection), asio::detached);
        return connection->get();
    }

    using Peers = std::unordered_map<std::string, Peer>;

    // A connection being made to a peer, for as long as it lives: the callers that arrive then
    // wait on it, and are woken when it is done, however it ends (an exception included). A peer
    // left with no connection is forgotten (its last failure was told to those waiting).
    class Connecting {
    public:
        Connecting(Peers &peers, std::string key, asio::io_context &io)
            : m_peers(peers)
            , m_key(std::move(key))
            , m_attempt(std::make_shared<Attempt>(io))
        {
            m_peers[m_key].connecting = m_attempt;
        }
        void ended(const ConnectFailure &failure) { m_attempt->failure = failure; }
        ~Connecting()
        {
            m_attempt->done.cancel();
            const auto found = m_peers.find(m_key);
            if (found == m_peers.end())
                return;
            found->second.connecting.reset();
            if (found->second.connections.empty())
                m_peers.erase(found);
        }
        Connecting(const Connecting &) = delete;
        Connecting &operator=(const Connecting &) = delete;

    private:
        Peers &m_peers;
        std::string m_key;
        std::shared_ptr<Attempt> m_attempt;
    };

    // Static, with the peers by weak pointer: the pool may be gone when a connection ends.
    static asio::awaitable<void> runThenForget(std::weak_ptr<Peers> weakPeers, std::string key,
                                               std::shared_ptr<Connection> connection)
    {
        co_await connection->run();
        const auto peers = weakPeers.lock();
        if (!peers)
            co_return;
        const auto found = peers->find(key);
        if (found == peers->end())
            co_return;
        auto &connections = found->second.connections;
        std::erase(connections, connection);
        if (connections.empty() && !found->second.connecting)
            peers->erase(found);
    }

    Worker &m_worker;
    const MonotonicClock &m_clock;
    H2Limits m_limits;
    std::shared_ptr<Peers> m_peers = std::make_shared<Peers>();
};

} // namespace meshcore::proxy::h2
