#pragma once

// Helpers the admin API's JSON files share (api_*_json.cpp); not for use outside meshcore/admin.

#include <optional>
#include <string>

#include "admin/api_json.h"

namespace meshcore::admin::detail {

// json[key], or `fallback` when it is missing or null.
template <typename T> T optionalValue(const nlohmann::json &json, const char *key, T fallback)
{
    const auto it = json.find(key);
    return it == json.end() || it->is_null() ? fallback : it->get<T>();
}

// json[key] when it is a number.
inline std::optional<double> optionalNumber(const nlohmann::json &json, const char *key)
{
    const auto it = json.find(key);
    if (it == json.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
}

// An optional number as JSON: the number, or null.
template <typename T> nlohmann::json numberOrNull(const std::optional<T> &value)
{
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// Runs `parse`, turning a JSON shape error into a Protocol error naming `what`.
template <typename T, typename Parse> Result<T> parsed(const char *what, Parse parse)
{
    try {
        return parse();
    } catch (const nlohmann::json::exception &e) {
        return makeError(ErrorCode::Protocol,
                         std::string("unexpected ") + what + " from meshd: " + e.what());
    }
}

} // namespace meshcore::admin::detail
