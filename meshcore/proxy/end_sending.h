#pragma once

// Ends the sending half of a connection, plain or TLS, while its reads go on: how the relays
// carry a half-close (opaque_relay.h) and how an HTTP/2 connection ends (h2/h2_connection.h).
// Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace meshcore::proxy {

namespace asio = boost::asio;
namespace beast = boost::beast;

// Ends the sending half of `stream`, which keeps reading.
inline asio::awaitable<void> endSending(beast::tcp_stream &stream)
{
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    co_return;
}

// TLS: a close_notify, with the pending read left alone. Asio's async_shutdown would write the
// close_notify and then read for the peer's; marking that one as received, for the moment its
// operation starts, has it only write (OpenSSL 3.0, Boost 1.74; tested in tst_opaque_relay).
// Nothing else may be written after it.
inline asio::awaitable<void> endSending(beast::ssl_stream<beast::tcp_stream> &stream)
{
    beast::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    co_await asio::async_initiate<decltype(token), void(beast::error_code)>(
        [&stream](auto handler) {
            SSL *ssl = stream.native_handle();
            const int before = SSL_get_shutdown(ssl);
            SSL_set_shutdown(ssl, before | SSL_RECEIVED_SHUTDOWN);
            stream.async_shutdown(std::move(handler));
            SSL_set_shutdown(ssl, before | SSL_SENT_SHUTDOWN);
        },
        token);
}

} // namespace meshcore::proxy
