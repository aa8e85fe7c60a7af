#include "proxy/endpoint_connect.h"

#include "proxy/errno_name.h"
#include "proxy/tls_contexts.h"

namespace meshcore::proxy {

using tcp = asio::ip::tcp;
constexpr auto ConnectTimeout = std::chrono::seconds(10);

void reuseOrTakeUpstream(std::unique_ptr<TlsUpstream> &held, UpstreamPool<TlsStream> &pool,
                         const std::string &key)
{
    if (held
        && (held->key != key
            || std::chrono::steady_clock::now() - held->lastUsed
                > UpstreamPool<TlsStream>::MaxIdle))
        pool.put(std::move(held));
    if (!held)
        held = pool.take(key);
}

asio::awaitable<ConnectFailure> connectEndpoint(std::unique_ptr<TlsUpstream> &upstream,
                                                asio::any_io_executor executor, std::string key,
                                                const Endpoint &endpoint, const WorkloadTls &tls,
                                                SteadyTime expiry, HopProtocol protocol)
{
    const auto context = tls.client();
    if (!context)
        co_return ConnectFailure {"this workload has no certificate yet", {}};
    upstream = std::make_unique<TlsUpstream>(std::move(key), beast::tcp_stream(executor), *context);
    beast::error_code ec;
    auto &tcpStream = beast::get_lowest_layer(upstream->stream);
    tcpStream.expires_at(std::min(expiry, std::chrono::steady_clock::now() + ConnectTimeout));
    co_await tcpStream.async_connect(
        tcp::endpoint(asio::ip::make_address(endpoint.inbound.host, ec), endpoint.inbound.port),
        asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return ConnectFailure {"connection to " + endpoint.pod + " ("
                                      + endpoint.inbound.toString() + ") failed: " + ec.message(),
                                  errnoName(ec)};
    tcpStream.socket().set_option(tcp::no_delay(true), ec); // header and body go out as written
    if (!offerHopProtocol(upstream->stream.native_handle(), protocol))
        co_return ConnectFailure {"cannot offer ALPN to " + endpoint.pod, {}};
    co_await upstream->stream.async_handshake(asio::ssl::stream_base::client,
                                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return ConnectFailure {"TLS handshake with " + endpoint.pod + " failed: " + ec.message(),
                                  errnoName(ec)};
    const auto identity = peerIdentity(upstream->stream.native_handle());
    if (!identity)
        co_return ConnectFailure {"TLS with " + endpoint.pod + ": " + identity.error().message, {}};
    if (*identity != endpoint.identity)
        co_return ConnectFailure {
            "server identity mismatch: expected " + endpoint.identity + ", got " + *identity, {}};
    if (negotiatedHopProtocol(upstream->stream.native_handle()) != protocol)
        co_return ConnectFailure {endpoint.pod
                                      + "'s proxy does not carry this protocol (its meshd "
                                        "is older?)",
                                  {}};
    co_return ConnectFailure {};
}

} // namespace meshcore::proxy
