#pragma once

// Keep-alive connections to upstreams, kept per worker and reused across client connections, so
// a client that opens a connection per request (HTTP/1.0, curl in a loop) does not cost an mTLS
// handshake per request. Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <openssl/bio.h>
#include <openssl/ssl.h>

#include "proxy/http_relay.h"
#include "proxy/workers.h"

namespace meshcore::proxy {

// One connection to an upstream (a workload's inbound proxy, or a workload) and its read buffer.
template <class Stream> struct Upstream {
    template <class... Args>
    explicit Upstream(std::string connectionKey, Args &&...args)
        : key(std::move(connectionKey))
        , stream(std::forward<Args>(args)...)
    {
    }
    std::string key; // what it is connected to, and as whom
    Stream stream;
    beast::flat_buffer buffer {MaxHeaderBytes + RelayChunkBytes};
    std::chrono::steady_clock::time_point lastUsed = std::chrono::steady_clock::now();
    bool reused
        = false; // it carried an exchange before: a failure may just mean the peer closed it

    boost::asio::ip::tcp::socket &socket() { return beast::get_lowest_layer(stream).socket(); }

    // Bytes that arrived and nobody read: in `buffer`, or, over TLS, already taken off the socket
    // into OpenSSL's buffers, where neither `buffer` nor a wait on the socket sees them.
    bool hasUnreadInput()
    {
        if (buffer.size() != 0)
            return true;
        if constexpr (requires { stream.native_handle(); }) {
            SSL *ssl = stream.native_handle();
            return SSL_has_pending(ssl) == 1 || BIO_ctrl_pending(SSL_get_rbio(ssl)) > 0;
        }
        return false;
    }
};

// Idle connections of one proxy on one worker. A pooled connection on which anything arrives
// (the peer closed it, or spoke out of turn) is dropped at once; one idle for longer than
// `MaxIdle` (below the inbound side's 60 s idle timeout) is not handed out again.
// Thread: the worker's.
template <class Stream> class UpstreamPool {
public:
    using Connection = std::unique_ptr<Upstream<Stream>>;
    static constexpr auto MaxIdle = std::chrono::seconds(30);
    static constexpr std::size_t MaxConnections = 256;

    explicit UpstreamPool(Worker &worker)
        : m_state(std::make_shared<State>(worker))
    {
    }

    // The most recently used idle connection for `key`, or null.
    Connection take(const std::string &key)
    {
        if (m_state->worker.draining())
            return nullptr;
        auto &idle = m_state->idle;
        const auto now = std::chrono::steady_clock::now();
        for (auto i = idle.size(); i-- > 0;) {
            if (idle[i]->key != key)
                continue;
            Connection connection = m_state->release(idle.begin() + static_cast<std::ptrdiff_t>(i));
            boost::system::error_code ignored;
            connection->socket().cancel(ignored); // ends the watch below without dropping it
            if (now - connection->lastUsed > MaxIdle)
                continue; // too old to trust: closed as it goes out of scope
            return connection;
        }
        return nullptr;
    }

    // Keeps `connection` for reuse; it must be between exchanges, with nothing unread.
    void put(Connection connection)
    {
        auto &idle = m_state->idle;
        if (!connection || connection->hasUnreadInput() || !connection->socket().is_open()
            || m_state->worker.draining())
            return;
        if (idle.size() >= MaxConnections)
            m_state->release(idle.begin()); // the least recently used goes
        connection->lastUsed = std::chrono::steady_clock::now();
        beast::get_lowest_layer(connection->stream).expires_never();
        auto *raw = connection.get();
        raw->socket().async_wait(
            boost::asio::socket_base::wait_read,
            [state = std::weak_ptr<State>(m_state), raw](const boost::system::error_code &ec) {
                if (ec == boost::asio::error::operation_aborted)
                    return; // taken, or the pool is gone
                if (const auto alive = state.lock())
                    alive->drop(raw);
            });
        m_state->worker.addIdle(raw->socket());
        idle.push_back(std::move(connection));
    }

    std::size_t size() const { return m_state->idle.size(); }

private:
    struct State final : WorkerResident {
        explicit State(Worker &w)
            : worker(w)
        {
            worker.addResident(*this);
        }
        ~State()
        {
            releaseConnections();
            worker.removeResident(*this);
        }
        State(const State &) = delete;
        State &operator=(const State &) = delete;
        void releaseConnections() override
        {
            while (!idle.empty())
                release(idle.begin());
        }
        Worker &worker;
        std::vector<Connection> idle; // least recently used first

        Connection release(typename std::vector<Connection>::iterator it)
        {
            Connection connection = std::move(*it);
            idle.erase(it);
            worker.removeIdle(connection->socket());
            return connection;
        }
        void drop(Upstream<Stream> *raw)
        {
            for (auto it = idle.begin(); it != idle.end(); ++it)
                if (it->get() == raw) {
                    release(it);
                    return;
                }
        }
    };
    std::shared_ptr<State> m_state;
};

} // namespace meshcore::proxy
