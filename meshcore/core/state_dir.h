#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace meshcore {

// $XDG_STATE_HOME/meshscope, or ~/.local/state/meshscope when XDG_STATE_HOME is unset.
std::filesystem::path defaultStateDir();

// Creates the directory (and parents) if needed and makes it private (0700). Refuses a path that
// exists but is not a directory.
Result<void> ensurePrivateDir(const std::filesystem::path &dir);

// Writes `contents` so that readers see either the old file or the whole new one, even if the
// process dies half-way: temp file in the same directory (created with `mode`), fsync, rename,
// fsync of the directory.
Result<void> writeFileAtomically(const std::filesystem::path &path, std::string_view contents,
                                 unsigned mode);

Result<std::string> readSmallFile(const std::filesystem::path &path, std::size_t maxBytes = 1 << 20);

} // namespace meshcore
