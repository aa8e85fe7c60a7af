#include "demo/demo_app.h"

#include <utility>

#include <sys/socket.h>

#include <csignal>
#include <cstdlib>
#include <mutex>
#include <ostream>
#include <random>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include "core/json_dump.h"
#include "core/last_resort.h"

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
    // One handle per thread, kept: its connection to the sidecar stays open between calls.
    thread_local const std::unique_ptr<CURL, void (*)(CURL *)> handle(curl_easy_init(),
                                                                      curl_easy_cleanup);
    CURL *curl = handle.get();
    curl_easy_reset(curl);
    std::string body;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    const CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    nlohmann::json result = {{"url", url}, {"status", status}};
    if (code != CURLE_OK)
        result["error"] = curl_easy_strerror(code);
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    result["body"] = parsed.is_discarded() ? nlohmann::json(body) : parsed;
    return result;
}

// One connection, served on its own thread: downstream calls block, and other connections go on.
void serve(tcp::socket socket, const DemoAppOptions &options, const std::string &pod)
{
    thread_local std::minstd_rand random {std::random_device {}()};
    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(16u << 20);
        beast::error_code ec;
        http::read(socket, buffer, parser, ec);
        if (ec)
            return;
        const auto &request = parser.get();
        if (options.latency.count() > 0) {
            const double jitter = std::uniform_real_distribution<double>(0.75, 1.25)(random);
            std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(
                static_cast<double>(options.latency.count()) * jitter));
        }
        nlohmann::json answer = {{"service", options.name},
                                 {"pod", pod},
                                 {"path", std::string(request.target())},
                                 {"client_id", std::string(request["l5d-client-id"])}};
        nlohmann::json calls = nlohmann::json::array();
        unsigned status = 200;
        for (const auto &url : options.calls) {
            auto call = callDownstream(url);
            const long callStatus = call.value("status", 0L);
            if (callStatus == 0 || callStatus >= 500) {
                status = 500;
                answer["error"] = "downstream " + url + " failed";
            }
            calls.push_back(std::move(call));
        }
        answer["calls"] = calls;
        if (status == 200
            && std::uniform_real_distribution<double>(0, 1)(random) < options.errorRate) {
            status = 500;
            answer["error"] = "injected by --error-rate";
        }
        if (options.payloadBytes > 0)
            answer["payload"] = std::string(options.payloadBytes, 'x');
        if (options.leakBytes > 0) { // kept for good, and written so it is resident
            static std::mutex leakMutex;
            static std::vector<std::string> leaked;
            std::lock_guard lock(leakMutex);
            leaked.emplace_back(options.leakBytes, 'l');
        }
        http::response<http::string_body> response {static_cast<http::status>(status),
                                                    request.version()};
        response.set(http::field::content_type, "application/json");
        response.keep_alive(request.keep_alive());
        response.body() = dumpJson(answer) + "\n";
        response.prepare_payload();
        http::write(socket, response, ec);
        if (ec || !response.keep_alive())
            return;
    }
}

} // namespace

int runDemoApp(const DemoAppOptions &options, std::ostream &out, std::ostream &err)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *podVariable = std::getenv("MESHSCOPE_POD");
    const std::string pod = podVariable ? podVariable : options.name;
    asio::io_context io;
    tcp::acceptor acceptor(io);
    beast::error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), options.port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        acceptor.bind(endpoint, ec);
    if (!ec)
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        err << "meshd demo-app: cannot listen on 127.0.0.1:" << options.port << ": " << ec.message()
            << "\n";
        return 1;
    }

    std::mutex mutex;
    std::vector<int> open; // to unblock the connection threads at shutdown
    std::vector<std::thread> connections;
    std::thread acceptLoop([&] {
        for (;;) {
            tcp::socket socket(io);
            beast::error_code acceptError;
            acceptor.accept(socket, acceptError);
            if (acceptError == asio::error::bad_descriptor || !acceptor.is_open())
                return;
            if (acceptError)
                continue;
            std::lock_guard lock(mutex);
            open.push_back(socket.native_handle());
            connections.emplace_back([&options, &pod, &err, s = std::move(socket)]() mutable {
                runReportingExceptions(err, "demo-app connection",
                                       [&] { serve(std::move(s), options, pod); });
            });
        }
    });
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const beast::error_code &, int) {
        beast::error_code ignored;
        ::shutdown(acceptor.native_handle(), SHUT_RDWR); // wakes the blocking accept
        acceptor.close(ignored);
    });
    out << "demo-app " << options.name
        << " listening on 127.0.0.1:" << acceptor.local_endpoint().port() << std::endl;
    io.run(); // until a signal
    acceptLoop.join();
    std::lock_guard lock(mutex);
    for (const int fd : open)
        ::shutdown(fd, SHUT_RDWR);
    for (auto &connection : connections)
        connection.join();
    return 0;
}

} // namespace meshcore::demo
