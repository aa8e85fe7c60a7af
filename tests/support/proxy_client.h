#pragma once

#include <utility>

#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "core/address.h"

namespace meshscope::testing {

// A blocking HTTP/1.1 client that sends requests through an outbound proxy the way curl with
// http_proxy does (absolute-form), on one keep-alive connection, reconnecting when the proxy
// closed it. For tests that send thousands of requests.
class ProxyClient {
public:
    using Response = boost::beast::http::response<boost::beast::http::string_body>;

    explicit ProxyClient(meshcore::Address proxy);
    // `url` is absolute: "http://api.shop/items". A transport failure gives status 0 and the
    // error in the body.
    Response send(boost::beast::http::verb method, const std::string &url,
                  const std::string &body = {});
    Response get(const std::string &url) { return send(boost::beast::http::verb::get, url); }
    int connectionsOpened() const { return m_opened; }

private:
    meshcore::Address m_proxy;
    boost::asio::io_context m_io;
    boost::asio::ip::tcp::socket m_socket {m_io};
    boost::beast::flat_buffer m_buffer;
    int m_opened = 0;
};

} // namespace meshscope::testing
