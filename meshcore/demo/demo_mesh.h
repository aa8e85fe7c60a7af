#pragma once

#include <string_view>

namespace meshcore::demo {

// resources/demo/mesh.yaml, compiled into meshd so `meshd up --demo` needs no files.
std::string_view demoMeshYaml();

inline constexpr std::string_view DemoMeshSource = "embedded demo mesh";

} // namespace meshcore::demo
