#include "export/k8s_format.h"

#include "core/service_key.h"

namespace meshcore::kube {

std::string backendName(const control::ServiceConfig &service, const std::string &version)
{
    return service.name + "-" + version;
}

std::string gatewayDuration(std::chrono::milliseconds duration)
{
    long long ms = duration.count();
    if (ms <= 0)
        return "0s";
    std::string text;
    const struct {
        long long factor;
        const char *unit;
    } units[] = {{3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
    for (const auto &unit : units)
        if (ms >= unit.factor) {
            text += std::to_string(ms / unit.factor) + unit.unit;
            ms %= unit.factor;
        }
    return text;
}

std::vector<std::string> provenance(const control::ServiceConfig &service, const std::string &kind,
                                    const std::string &source)
{
    return {kind + " for " + qualifiedName(service.name, service.ns) + ", exported by meshd from "
            + (source.empty() ? std::string("mesh.yaml") : source) + "."};
}

void appendLeftOut(std::vector<std::string> &comments, const std::vector<std::string> &notes)
{
    if (notes.empty())
        return;
    comments.push_back("Left out (no equivalent here):");
    for (const auto &note : notes)
        comments.push_back("- " + note);
}

namespace {

std::string responses(const std::string &metric, const std::string &ns, const std::string &selector,
                      const std::string &extra, const std::string &window)
{
    return "sum(rate(" + metric + "{namespace=\"" + ns + "\", " + selector
        + ", direction=\"inbound\"" + extra + "}[" + window + "]))";
}

} // namespace

std::string successRateQuery(const std::string &ns, const std::string &selector,
                             const std::string &window)
{
    return responses("response_total", ns, selector, ", classification!=\"failure\"", window)
        + " / " + responses("response_total", ns, selector, "", window) + " * 100";
}

std::string p99Query(const std::string &ns, const std::string &selector, const std::string &window)
{
    const auto buckets = responses("response_latency_ms_bucket", ns, selector, "", window);
    return "histogram_quantile(0.99, " + buckets.substr(0, buckets.size() - 1) + ") by (le))";
}

std::string regexEscaped(const std::string &text)
{
    std::string escaped;
    for (const char c : text) {
        if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos)
            escaped += '\\';
        escaped += c;
    }
    return escaped;
}

std::string cookieRegex(const std::string &name, const std::string &value)
{
    return "^(.*?;\\s*)?" + regexEscaped(name) + "=" + regexEscaped(value) + "(;.*)?$";
}

} // namespace meshcore::kube
