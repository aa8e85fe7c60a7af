#include "tests/support/proxy_client.h"

#include <boost/asio/connect.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace meshscope::testing {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

ProxyClient::ProxyClient(meshcore::Address proxy)
    : m_proxy(std::move(proxy))
{
}

ProxyClient::Response ProxyClient::send(http::verb method, const std::string &url,
                                        const std::string &body)
{
    for (int attempt = 0; attempt < 2; ++attempt) {
        boost::system::error_code ec;
        if (!m_socket.is_open()) {
            m_buffer.clear();
            m_socket.connect(tcp::endpoint(asio::ip::make_address(m_proxy.host), m_proxy.port), ec);
            if (ec) {
                m_socket.close();
                Response failed {http::status::unknown, 11};
                failed.body() = "connect: " + ec.message();
                return failed;
            }
            ++m_opened;
        }
        http::request<http::string_body> request {method, url, 11};
        const auto host = url.substr(url.find("://") + 3);
        request.set(http::field::host, host.substr(0, host.find('/')));
        request.body() = body;
        request.prepare_payload();
        http::write(m_socket, request, ec);
        http::response_parser<http::string_body> parser;
        parser.body_limit(64u << 20);
        if (!ec)
            http::read(m_socket, m_buffer, parser, ec);
        if (ec) {
            m_socket.close(); // the proxy closed a kept connection: try once on a new one
            if (attempt == 0 && m_opened > 0)
                continue;
            Response failed {http::status::unknown, 11};
            failed.body() = "exchange: " + ec.message();
            return failed;
        }
        auto response = parser.release();
        if (!response.keep_alive())
            m_socket.close();
        return response;
    }
    return Response {http::status::unknown, 11};
}

} // namespace meshscope::testing
