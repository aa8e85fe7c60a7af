#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

struct stat;

namespace meshcore {

// What meshd asks of everything it keeps in its state directory, as ssh does of ~/.ssh: owned by
// the user running it, reached without following a symbolic link, and out of other users' reach.
// Refusals are PermissionDenied (wrong owner, mode, a link) or InvalidArgument (a file where a
// directory belongs), with a message that says what to fix.
enum class PathKind { File, Directory };

// Who besides the owner may read: nobody (keys, the token, locks, logs) or anyone (certificates).
// Nobody else may ever write.
enum class OthersMay { Nothing, Read };

// Refuses `info` (lstat or fstat of `path`) unless it is a `kind` owned by the effective user with
// a mode that gives group and others no more than `others` allows. `label` names the path in the
// message ("state directory /x"); empty: the path itself.
Result<void> checkPrivate(const struct stat &info, const std::filesystem::path &path, PathKind kind,
                          OthersMay others = OthersMay::Nothing, std::string_view label = {});

// checkPrivate on lstat(path): a symbolic link is refused, not followed. NotFound when missing.
Result<void> checkPrivatePath(const std::filesystem::path &path, PathKind kind,
                              OthersMay others = OthersMay::Nothing, std::string_view label = {});

// open(2) of a file meshd keeps: never through a symbolic link at the last component
// (O_NOFOLLOW), never blocking on a planted FIFO, and checked with fstat once open, so the file
// checked is the file used. `flags` may include O_CREAT (the file is then made 0600), not O_TRUNC
// (it would act before the check). Returns the descriptor (close-on-exec); the caller closes it.
Result<int> openPrivateFile(const std::filesystem::path &path, int flags,
                            OthersMay others = OthersMay::Nothing);

// Reads a file meshd keeps, opened as openPrivateFile does; refuses more than `maxBytes`.
Result<std::string> readPrivateFile(const std::filesystem::path &path, std::size_t maxBytes,
                                    OthersMay others = OthersMay::Nothing);

} // namespace meshcore
