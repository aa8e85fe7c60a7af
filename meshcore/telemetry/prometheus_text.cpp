#include "telemetry/prometheus_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/utf8.h"

namespace meshcore::telemetry {

std::string escapeLabelValue(std::string_view value)
{
    // Prometheus refuses a whole scrape over one label value that is not UTF-8, and values come
    // from the wire (an authority, a path): invalid bytes become U+FFFD.
    std::string out;
    out.reserve(value.size());
    for (const char c : validUtf8(value)) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

void PrometheusText::family(std::string_view name, std::string_view type, std::string_view help)
{
    m_text.append("# HELP ").append(name).append(" ").append(help).append("\n");
    m_text.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void PrometheusText::sample(std::string_view name, const Labels &unsorted, double value)
{
    // Sorted by name: stable, diffable output whatever order the labels were built in.
    Labels labels = unsorted;
    std::sort(labels.begin(), labels.end());
    m_text.append(name);
    if (!labels.empty()) {
        m_text += '{';
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (i)
                m_text += ',';
            m_text.append(labels[i].first)
                .append("=\"")
                .append(escapeLabelValue(labels[i].second))
                .append("\"");
        }
        m_text += '}';
    }
    char number[64];
    if (std::isnan(value))
        std::snprintf(number, sizeof number, "NaN");
    else if (std::isinf(value))
        std::snprintf(number, sizeof number, value > 0 ? "+Inf" : "-Inf");
    else if (value == std::floor(value) && std::fabs(value) < 1e15)
        std::snprintf(number, sizeof number, "%.0f", value);
    else
        std::snprintf(number, sizeof number, "%.17g", value);
    m_text.append(" ").append(number).append("\n");
}

} // namespace meshcore::telemetry
