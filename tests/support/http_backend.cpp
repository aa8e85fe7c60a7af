#include "tests/support/http_backend.h"

#include <sys/socket.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace meshscope::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

HttpBackend::HttpBackend() : m_acceptor(m_io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0))
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
            m_workers.emplace_back([this, s = std::move(socket)]() mutable { serve(std::move(s)); });
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
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(256u << 20);
        boost::system::error_code ec;
        http::read(socket, buffer, parser, ec);
        if (ec)
            return;
        const auto &request = parser.get();
        ++m_requests;
        const std::string target(request.target());
        const std::string line = std::string(request.method_string()) + " " + target + " client="
                                 + std::string(request["l5d-client-id"]) + " body=" + std::to_string(request.body().size());
        {
            std::lock_guard lock(m_mutex);
            m_seen.push_back(line);
        }
        http::response<http::string_body> response{http::status::ok, request.version()};
        response.set(http::field::content_type, "text/plain");
        if (target.starts_with("/download/"))
            response.body() = std::string(std::stoul(target.substr(10)), 'x');
        else
            response.body() = line;
        response.keep_alive(request.keep_alive());
        response.prepare_payload();
        http::write(socket, response, ec);
        if (ec || !request.keep_alive())
            return;
    }
}

} // namespace meshscope::testing
