#include "tests/support/http_backend.h"

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <limits>

#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace meshscope::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

HttpBackend::HttpBackend()
    : m_acceptor(m_io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0))
{
    m_address = {"127.0.0.1", m_acceptor.local_endpoint().port()};
    m_acceptThread = std::thread([this] {
        for (;;) {
            tcp::socket socket(m_io);
            boost::system::error_code ec;
            m_acceptor.accept(socket, ec);
            if (ec || m_stopping)
                return;
            ++m_connections;
            std::lock_guard lock(m_mutex);
            m_sockets.push_back(socket.native_handle());
            m_workers.emplace_back(
                [this, s = std::move(socket)]() mutable { serve(std::move(s)); });
        }
    });
}

HttpBackend::~HttpBackend()
{
    m_stopping = true;
    boost::system::error_code ec;
    // Wake the blocking accept with a connection of our own.
    tcp::socket poke(m_io);
    poke.connect(m_acceptor.local_endpoint(), ec);
    m_acceptThread.join();
    m_acceptor.close(ec);
    std::vector<std::thread> workers;
    {
        std::lock_guard lock(m_mutex);
        for (const int fd : m_sockets)
            ::shutdown(fd, SHUT_RDWR); // unblocks a worker waiting for its next request
        workers.swap(m_workers);
    }
    for (auto &w : workers)
        w.join();
}

std::vector<std::string> HttpBackend::seen() const
{
    std::lock_guard lock(m_mutex);
    return m_seen;
}

void HttpBackend::serve(tcp::socket socket)
{
    beast::flat_buffer buffer;
    std::vector<char> scratch(64 * 1024);
    for (;;) {
        // The body is counted as it streams in, never kept: a 1 GiB upload costs 64 KiB here.
        http::request_parser<http::buffer_body> parser;
        parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        boost::system::error_code ec;
        http::read_header(socket, buffer, parser, ec);
        if (ec)
            return;
        std::uint64_t bodyBytes = 0;
        while (!parser.is_done()) {
            parser.get().body().data = scratch.data();
            parser.get().body().size = scratch.size();
            http::read(socket, buffer, parser, ec);
            if (ec && ec != http::error::need_buffer)
                return;
            bodyBytes += scratch.size() - parser.get().body().size;
        }
        const auto &request = parser.get();
        ++m_requests;
        const std::string target(request.target());
        const std::string line = std::string(request.method_string()) + " " + target + " client="
            + std::string(request["l5d-client-id"]) + " body=" + std::to_string(bodyBytes);
        {
            std::lock_guard lock(m_mutex);
            m_seen.push_back(line);
        }
        if (target.starts_with("/slow/"))
            std::this_thread::sleep_for(std::chrono::milliseconds(std::stoul(target.substr(6))));
        if (m_delayMs > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(m_delayMs.load()));
        if (target == "/until-close") { // a body whose end is the end of the connection
            const std::string raw = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nthe body "
                                    "ends when the connection does";
            asio::write(socket, asio::buffer(raw), ec);
            return;
        }
        http::response<http::string_body> response {static_cast<http::status>(m_status.load()),
                                                    request.version()};
        response.set(http::field::content_type, "text/plain");
        if (target.starts_with("/download/"))
            response.body() = std::string(std::stoul(target.substr(10)), 'x');
        else
            response.body() = line;
        response.keep_alive(request.keep_alive());
        response.prepare_payload();
        http::write(socket, response, ec);
        // "/close-after": the connection closes right after a keep-alive response, as servers
        // with a short idle timeout do (Node.js: 5 s).
        if (ec || !request.keep_alive() || target == "/close-after")
            return;
    }
}

} // namespace meshscope::testing
