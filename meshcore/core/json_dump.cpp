#include "core/json_dump.h"

#include <nlohmann/json.hpp>

namespace meshcore {

std::string dumpJson(const nlohmann::json &json, int indent)
{
    return json.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace meshcore
