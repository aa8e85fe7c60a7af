#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace meshcore::telemetry {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Builds a Prometheus text exposition (format 0.0.4): one HELP and TYPE line per family, then its
// samples. Label values are escaped; numbers are written so Prometheus parses them back exactly.
class PrometheusText {
public:
    void family(std::string_view name, std::string_view type, std::string_view help);
    void sample(std::string_view name, const Labels &labels, double value);
    const std::string &text() const { return m_text; }

    static constexpr const char *ContentType = "text/plain; version=0.0.4; charset=utf-8";

private:
    std::string m_text;
};

std::string escapeLabelValue(std::string_view value);

} // namespace meshcore::telemetry
