#include "proxy/proxy_telemetry.h"
#include "core/service_key.h"

namespace meshcore::proxy {

std::string_view authorityLabel(std::string_view hostHeader)
{
    if (hostHeader.starts_with('[')) { // an IPv6 literal
        const auto close = hostHeader.find(']');
        return close == std::string_view::npos ? hostHeader : hostHeader.substr(0, close + 1);
    }
    return hostHeader.substr(0, hostHeader.find(':'));
}

ConnectionMeter::ConnectionMeter(std::shared_ptr<telemetry::ProxyMetrics> metrics,
                                 telemetry::Labels labels, int fd)
    : m_metrics(std::move(metrics))
    , m_labels(std::move(labels))
{
    m_metrics->tcpOpens.with(m_labels).inc();
    m_metrics->tcpOpenConnections.with(m_labels).add(1);
    m_open = m_metrics->openConnections.add(fd, m_metrics->tcpReadBytes.with(m_labels),
                                            m_metrics->tcpWriteBytes.with(m_labels));
}

ConnectionMeter::~ConnectionMeter()
{
    m_metrics->openConnections.remove(m_open);
    m_metrics->tcpOpenConnections.with(m_labels).add(-1);
    auto closed = m_labels;
    closed.emplace_back("errno", m_errno);
    m_metrics->tcpCloses.with(closed).inc();
    const std::chrono::duration<double, std::milli> lived
        = std::chrono::steady_clock::now() - m_opened;
    m_metrics->tcpDuration.with(closed).observe(lived.count());
}

RequestSeries::RequestSeries(telemetry::ProxyMetrics &metrics, telemetry::Labels labels)
    : m_metrics(metrics)
    , m_labels(std::move(labels))
    , m_requests(metrics.requests.with(m_labels))
    , m_latency(metrics.latency.with(m_labels))
{
}

telemetry::Counter &RequestSeries::responses(unsigned status)
{
    for (const auto &[code, counter] : m_responses)
        if (code == status)
            return *counter;
    auto labels = m_labels;
    labels.emplace_back("classification", status >= 500 ? "failure" : "success");
    labels.emplace_back("status_code", std::to_string(status));
    auto &counter = m_metrics.responses.with(labels);
    m_responses.emplace_back(status, &counter);
    return counter;
}

RouteSeries::RouteSeries(telemetry::ProxyMetrics &metrics, telemetry::Labels labels)
    : m_metrics(metrics)
    , m_labels(std::move(labels))
{
}

telemetry::Counter &RouteSeries::status(unsigned status, std::string_view error)
{
    const std::string key = std::to_string(status) + " " + std::string(error);
    for (const auto &[k, counter] : m_statuses)
        if (k == key)
            return *counter;
    auto labels = m_labels;
    labels.emplace_back("http_status", std::to_string(status));
    labels.emplace_back("error", std::string(error));
    auto &counter = m_metrics.routeStatuses.with(labels);
    m_statuses.emplace_back(key, &counter);
    return counter;
}

telemetry::Counter &RouteSeries::counter(telemetry::Counter *&cached,
                                         telemetry::Family<telemetry::Counter> &family)
{
    if (!cached)
        cached = &family.with(m_labels);
    return *cached;
}

telemetry::Counter &RouteSeries::faultInjected(std::string_view kind)
{
    auto labels = m_labels;
    labels.emplace_back("kind", std::string(kind));
    return m_metrics.faultInjections.with(labels); // rare: not cached
}

RequestMeter::RequestMeter(RequestSeries &series)
    : m_series(series)
    , m_start(std::chrono::steady_clock::now())
{
    m_series.requests().inc();
}

void RequestMeter::responseHeaderArrived()
{
    if (m_latencyRecorded)
        return;
    m_latencyRecorded = true;
    const std::chrono::duration<double, std::milli> elapsed
        = std::chrono::steady_clock::now() - m_start;
    m_latencyMs = elapsed.count();
    m_series.latency().observe(m_latencyMs);
}

void RequestMeter::finished(unsigned status)
{
    responseHeaderArrived();
    m_series.responses(status).inc();
    if (auto *edge = m_series.edge())
        edge->record(std::chrono::system_clock::now(), status < 500, m_latencyMs);
}

TapRecord::TapRecord(telemetry::TapHub &hub, const WorkloadLabels &caller,
                     std::string_view destinationService, std::string_view destinationNs,
                     std::string_view method, std::string_view authority, std::string_view path)
    : m_hub(hub)
{
    if (!hub.active())
        return;
    m_start = std::chrono::steady_clock::now();
    auto &event = m_event.emplace();
    event.unixMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
    event.sourcePod = caller.pod;
    event.sourceService = qualifiedName(caller.service, caller.ns);
    event.sourceIdentity = caller.identity;
    event.destinationService = destinationService;
    if (!destinationNs.empty())
        event.destinationService.append(".").append(destinationNs);
    event.method = method;
    event.authority = authority;
    event.path = path;
    event.route = "default";
}

TapRecord::~TapRecord()
{
    if (!m_event || m_event->status == 0)
        return; // nobody tapped, or the client left before an answer
    m_event->latencyMs
        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_start)
              .count();
    m_hub.publish(std::move(*m_event));
}

void TapRecord::route(const std::string &name)
{
    if (m_event)
        m_event->route = name;
}

void TapRecord::via(const std::string &pod, const std::string &identity)
{
    if (!m_event)
        return;
    m_event->destinationPod = pod;
    m_event->destinationIdentity = identity;
    m_event->mtls = true;
}

void TapRecord::retried()
{
    if (m_event)
        ++m_event->retries;
}

void TapRecord::answered(unsigned status, std::string_view error)
{
    if (!m_event)
        return;
    m_event->status = status;
    m_event->error = error;
}

} // namespace meshcore::proxy
