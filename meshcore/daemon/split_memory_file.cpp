// The restore rule of the splits set at run time, and splits.json's format (split_memory.h).
#include "core/json_dump.h"
#include "core/service_key.h"
#include "daemon/split_memory.h"

#include <nlohmann/json.hpp>

namespace meshcore::daemon {
namespace {

constexpr int SplitsFormat = 1;

nlohmann::json weightsJson(const std::vector<control::BackendWeight> &split)
{
    auto list = nlohmann::json::array();
    for (const auto &backend : split)
        list.push_back({{"version", backend.version}, {"weight", backend.weight}});
    return list;
}

std::vector<control::BackendWeight> weightsFrom(const nlohmann::json &list)
{
    std::vector<control::BackendWeight> split;
    for (const auto &entry : list)
        split.push_back(
            {entry.at("version").get<std::string>(), entry.at("weight").get<unsigned>()});
    return split;
}

std::string fileSplitText(const std::vector<control::BackendWeight> &split)
{
    return split.empty() ? std::string("none (each version weighted by its replicas)")
                         : control::splitText(split);
}

} // namespace

std::optional<std::string> whyNotRestored(const RememberedSplit &remembered,
                                          const control::MeshConfig &config)
{
    const auto name = qualifiedName(remembered.service, remembered.ns);
    const auto *service = config.findService(name);
    if (!service)
        return "mesh.yaml no longer has " + name;
    if (service->split != remembered.fileSplit)
        return "mesh.yaml changed its split (from " + fileSplitText(remembered.fileSplit) + " to "
            + fileSplitText(service->split) + ")";
    return std::nullopt;
}

std::string rememberedSplitsText(const std::vector<RememberedSplit> &splits)
{
    auto list = nlohmann::json::array();
    for (const auto &s : splits)
        list.push_back({{"service", s.service},
                        {"namespace", s.ns},
                        {"split", weightsJson(s.split)},
                        {"file_split", weightsJson(s.fileSplit)},
                        {"by", s.by},
                        {"set_unix", s.setUnix}});
    return dumpJson(nlohmann::json {{"format", SplitsFormat}, {"splits", std::move(list)}}, 2)
        + "\n";
}

Result<std::vector<RememberedSplit>> rememberedSplitsFromText(const std::string &text)
{
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return makeError(ErrorCode::Protocol, "it is not a JSON object");
    if (json.value("format", 0) != SplitsFormat)
        return makeError(ErrorCode::Protocol,
                         "it is not in format " + std::to_string(SplitsFormat));
    try {
        std::vector<RememberedSplit> splits;
        for (const auto &s : json.at("splits")) {
            RememberedSplit split;
            split.service = s.at("service").get<std::string>();
            split.ns = s.at("namespace").get<std::string>();
            split.split = weightsFrom(s.at("split"));
            split.fileSplit = weightsFrom(s.at("file_split"));
            split.by = s.value("by", "");
            split.setUnix = s.value("set_unix", std::int64_t {0});
            splits.push_back(std::move(split));
        }
        return splits;
    } catch (const nlohmann::json::exception &e) {
        return makeError(ErrorCode::Protocol, std::string("an entry is malformed: ") + e.what());
    }
}

} // namespace meshcore::daemon
