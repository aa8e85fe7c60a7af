#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace meshcore {

// $XDG_STATE_HOME/meshscope, or ~/.local/state/meshscope when XDG_STATE_HOME is unset.
std::filesystem::path defaultStateDir();

// Creates the directory (0700; its parents as the umask says) if needed, and refuses it unless
// it is a private directory of the user running meshd (core/private_path.h): not a symbolic link
// (a planted one at the last component is neither followed nor created through), not owned by
// anyone else, not open to group or others. Like ssh with ~/.ssh, the parents are the user's
// business. `label` names it in messages ("state directory").
Result<void> ensurePrivateDir(const std::filesystem::path &dir, std::string_view label = {});

// Checks, without following links, what meshd keeps in a state directory that passed
// ensurePrivateDir: the admin token, the lock files, the CA's directory and files, the workload
// logs. The first problem is returned, in a sentence that says what to fix. The trust bundle may
// be readable by others (certificates only); a logs directory that others may read but not
// change (as earlier versions made it) is made private rather than refused.
Result<void> checkStateDirContents(const std::filesystem::path &stateDir);

// Writes `contents` so that readers see either the old file or the whole new one, even if the
// process dies half-way: temp file in the same directory (created with `mode`), fsync, rename,
// fsync of the directory. A symbolic link at `path` is replaced, never written through.
Result<void> writeFileAtomically(const std::filesystem::path &path, std::string_view contents,
                                 unsigned mode);

// Deletes the temporary files writeFileAtomically leaves in `dir` when a process dies before its
// rename (".NAME.tmp-PID-N"). Call it only while holding the lock that every writer to `dir`
// holds, or it may delete a file another process is still writing. Returns how many it deleted.
std::size_t removeStaleTempFiles(const std::filesystem::path &dir);

// Whether `name` is one of writeFileAtomically's temporary files.
bool isAtomicWriteTemp(std::string_view name);

Result<std::string> readSmallFile(const std::filesystem::path &path,
                                  std::size_t maxBytes = 1 << 20);

// Reads an open descriptor to its end; refuses more than `maxBytes` (`path` is for messages).
Result<std::string> readOpenFile(int fd, const std::filesystem::path &path, std::size_t maxBytes);

// "<what> <path>: <strerror(err)>", coded NotFound, PermissionDenied, AlreadyExists or Io.
Error systemError(std::string_view what, const std::filesystem::path &path, int err);

} // namespace meshcore
