// The JSON of /api/v1/faults (the runtime faults per service version), written by the daemon
// (daemon/routes/fault_routes.cpp) and read by it (PUT's body), the client and the CLI.
#include "admin/api_json_support.h"

#include <cstdint>
#include <limits>
#include <type_traits>

namespace meshcore::admin {
namespace {

using detail::parsed;

constexpr const char *FaultShape
    = R"({"delay_percent": 0-100, "delay_ms": N, "abort_percent": 0-100, "abort_status": 400-599})";

// A whole number as int64 (a larger one is the largest int64: out of every range anyway).
std::int64_t wholeNumber(const nlohmann::json &value)
{
    if (value.is_number_unsigned()
        && value.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
        return std::numeric_limits<std::int64_t>::max();
    return value.get<std::int64_t>();
}

// Reads json[key] into `out` if it is there; the problem otherwise.
std::optional<std::string> readField(const nlohmann::json &json, const char *key, bool whole,
                                     auto &out)
{
    const auto it = json.find(key);
    if (it == json.end())
        return std::nullopt;
    if (!it->is_number() || (whole && !it->is_number_integer()))
        return std::string("\"") + key + "\" must be " + (whole ? "a whole number" : "a number");
    if constexpr (std::is_same_v<std::remove_reference_t<decltype(out)>, double>)
        out = it->get<double>();
    else
        out = wholeNumber(*it);
    return std::nullopt;
}

} // namespace

nlohmann::json toJson(const FaultSpec &fault)
{
    return {{"delay_percent", fault.delayPercent},
            {"delay_ms", fault.delayMs},
            {"abort_percent", fault.abortPercent},
            {"abort_status", fault.abortStatus}};
}

Result<FaultSpec> faultSpecFromJson(const nlohmann::json &json)
{
    if (!json.is_object())
        return makeError(ErrorCode::InvalidArgument,
                         std::string("the fault must be a JSON object like ") + FaultShape);
    for (const auto &item : json.items())
        if (item.key() != "delay_percent" && item.key() != "delay_ms"
            && item.key() != "abort_percent" && item.key() != "abort_status")
            return makeError(ErrorCode::InvalidArgument,
                             "unknown field \"" + item.key() + "\": a fault is " + FaultShape);
    FaultSpec fault;
    for (auto problem : {readField(json, "delay_percent", false, fault.delayPercent),
                         readField(json, "delay_ms", true, fault.delayMs),
                         readField(json, "abort_percent", false, fault.abortPercent),
                         readField(json, "abort_status", true, fault.abortStatus)})
        if (problem)
            return makeError(ErrorCode::InvalidArgument, *problem);
    return fault;
}

nlohmann::json toJson(const VersionFault &fault)
{
    return {{"service", fault.service},
            {"namespace", fault.ns},
            {"version", fault.version},
            {"fault", toJson(fault.fault)}};
}

Result<VersionFault> versionFaultFromJson(const nlohmann::json &json)
{
    auto fault = parsed<VersionFault>("fault", [&] {
        VersionFault f;
        f.service = json.at("service").get<std::string>();
        f.ns = json.at("namespace").get<std::string>();
        f.version = json.at("version").get<std::string>();
        return f;
    });
    if (!fault)
        return fault;
    auto spec = faultSpecFromJson(json.contains("fault") ? json["fault"] : nlohmann::json());
    if (!spec)
        return makeError(ErrorCode::Protocol,
                         "unexpected fault from meshd: " + spec.error().message);
    fault->fault = *spec;
    return fault;
}

nlohmann::json toJson(const std::vector<VersionFault> &faults)
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto &fault : faults)
        list.push_back(toJson(fault));
    return {{"faults", std::move(list)}};
}

Result<std::vector<VersionFault>> faultsFromJson(const nlohmann::json &json)
{
    if (!json.is_object() || !json.contains("faults") || !json["faults"].is_array())
        return makeError(ErrorCode::Protocol, "unexpected faults from meshd: no \"faults\" list");
    std::vector<VersionFault> faults;
    for (const auto &entry : json["faults"]) {
        auto fault = versionFaultFromJson(entry);
        if (!fault)
            return tl::unexpected(fault.error());
        faults.push_back(std::move(*fault));
    }
    return faults;
}

nlohmann::json toJson(const FaultCleared &cleared)
{
    return {{"service", cleared.service},
            {"namespace", cleared.ns},
            {"version", cleared.version},
            {"cleared", cleared.cleared}};
}

Result<FaultCleared> faultClearedFromJson(const nlohmann::json &json)
{
    return parsed<FaultCleared>("fault clearing", [&] {
        FaultCleared cleared;
        cleared.service = json.at("service").get<std::string>();
        cleared.ns = json.at("namespace").get<std::string>();
        cleared.version = json.at("version").get<std::string>();
        cleared.cleared = json.at("cleared").get<bool>();
        return cleared;
    });
}

} // namespace meshcore::admin
