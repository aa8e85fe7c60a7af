#include "demo/demo_app.h"

#include "proxy/proxy_listener.h"

#include <utility>

#include <csignal>
#include <ostream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <curl/curl.h>
#include <nlohmann/json.hpp>

namespace meshcore::demo {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::size_t collect(char *data, std::size_t size, std::size_t count, void *user)
{
    static_cast<std::string *>(user)->append(data, size * count);
    return size * count;
}

// One downstream call with libcurl, which honours http_proxy/no_proxy from the environment:
// exactly how an unmodified application reaches the mesh.
nlohmann::json callDownstream(const std::string &url)
{
    CURL *curl = curl_easy_init();
    std::string body;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    const CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    nlohmann::json result = {{"url", url}, {"status", status}};
    if (code != CURLE_OK)
        result["error"] = curl_easy_strerror(code);
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    result["body"] = parsed.is_discarded() ? nlohmann::json(body) : parsed;
    return result;
}

asio::awaitable<void> serve(tcp::socket socket, std::shared_ptr<const DemoAppOptions> options)
{
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        http::request<http::string_body> request;
        beast::error_code ec;
        stream.expires_after(std::chrono::seconds(60));
        co_await http::async_read(stream, buffer, request, asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return;
        nlohmann::json answer = {{"service", options->name},
                                 {"path", std::string(request.target())},
                                 {"client_id", std::string(request["l5d-client-id"])}};
        nlohmann::json calls = nlohmann::json::array();
        for (const auto &url : options->calls)
            calls.push_back(callDownstream(url)); // blocking: this demo serves one call at a time
        answer["calls"] = calls;
        http::response<http::string_body> response{http::status::ok, request.version()};
        response.set(http::field::content_type, "application/json");
        response.keep_alive(request.keep_alive());
        response.body() = answer.dump() + "\n";
        response.prepare_payload();
        co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || !request.keep_alive())
            co_return;
    }
}

} // namespace

int runDemoApp(const DemoAppOptions &options, std::ostream &out, std::ostream &err)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    proxy::Workers workers(1); // run on this thread below
    auto &io = workers.acceptor().io();
    auto shared = std::make_shared<const DemoAppOptions>(options);
    auto listener = proxy::ProxyListener::create(workers, {"127.0.0.1", options.port},
                                                 [shared](tcp::socket socket, proxy::Worker &) {
                                                     return serve(std::move(socket), shared);
                                                 });
    if (!listener) {
        err << "meshd demo-app: " << listener.error().message << "\n";
        return 1;
    }
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const beast::error_code &, int) {
        (*listener)->stop();
        io.stop();
    });
    out << "demo-app " << options.name << " listening on " << (*listener)->localAddress().toString() << std::endl;
    io.run();
    return 0;
}

} // namespace meshcore::demo
