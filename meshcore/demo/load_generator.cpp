#include "demo/load_generator.h"

#include <chrono>
#include <iostream>
#include <memory>

#include <curl/curl.h>

#include "core/last_resort.h"
#include "core/loopback.h"

namespace meshcore::demo {
namespace {

// Aborts the transfer once the generator is stopping (curl calls it about once a second even
// while a peer says nothing).
int abortWhenStopping(void *stopping, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    return static_cast<const std::atomic<bool> *>(stopping)->load() ? 1 : 0;
}

std::size_t discard(char *, std::size_t size, std::size_t count, void *)
{
    return size * count;
}

} // namespace

LoadGenerator::LoadGenerator(control::LoadConfig config, Address proxy,
                             std::vector<std::uint16_t> workloadPorts)
    : m_config(std::move(config))
    , m_proxy(std::move(proxy))
    , m_workloadPorts(std::move(workloadPorts))
{
    if (m_config.rate <= 0 || m_config.targets.empty())
        return;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    for (unsigned i = 0; i < m_config.concurrency; ++i)
        m_threads.emplace_back(
            [this, i] { runReportingExceptions(std::cerr, "load generator", [&] { run(i); }); });
}

LoadGenerator::~LoadGenerator()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_stopping = true;
    }
    m_wake.notify_all();
    for (auto &thread : m_threads)
        thread.join();
}

bool LoadGenerator::workloadsListening() const
{
    for (const auto port : m_workloadPorts)
        if (!loopbackPortAccepts(port))
            return false;
    return true;
}

void LoadGenerator::run(unsigned index)
{
    // Wait for the workloads (sender 0 checks; the others wait the same way).
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!workloadsListening() && std::chrono::steady_clock::now() < giveUp) {
        std::unique_lock lock(m_mutex);
        if (m_wake.wait_for(lock, std::chrono::milliseconds(100), [this] { return m_stop; }))
            return;
    }
    // Each of the `concurrency` senders takes every concurrency-th slot of the schedule.
    const std::chrono::duration<double> interval(static_cast<double>(m_config.concurrency)
                                                 / m_config.rate);
    const auto offset = interval * (static_cast<double>(index) / m_config.concurrency);
    const auto start = std::chrono::steady_clock::now();
    const std::unique_ptr<CURL, void (*)(CURL *)> curl(curl_easy_init(), curl_easy_cleanup);
    const std::string proxy = "http://" + m_proxy.toString();
    curl_slist *headerList = nullptr;
    for (const auto &header : m_config.headers)
        headerList = curl_slist_append(headerList, header.c_str());
    const std::unique_ptr<curl_slist, void (*)(curl_slist *)> headers(headerList,
                                                                      curl_slist_free_all);
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    for (std::uint64_t slot = 0;; ++slot) {
        const auto due = start
            + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             offset + interval * static_cast<double>(slot));
        {
            std::unique_lock lock(m_mutex);
            if (m_wake.wait_until(lock, due, [this] { return m_stop; }))
                return;
        }
        if (std::chrono::steady_clock::now() - due > interval * 10.0)
            continue; // far behind (a stalled mesh): skip slots rather than burst
        const auto &target
            = m_config.targets[(slot * m_config.concurrency + index) % m_config.targets.size()];
        curl_easy_setopt(curl.get(), CURLOPT_URL, target.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_PROXY, proxy.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, abortWhenStopping);
        curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &m_stopping);
        curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 10000L);
        curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "meshd-load");
        const CURLcode code = curl_easy_perform(curl.get());
        long status = 0;
        curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
        ++m_sent;
        if (code != CURLE_OK || status >= 500)
            ++m_failed;
    }
}

} // namespace meshcore::demo
