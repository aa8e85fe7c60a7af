#include "core/private_path.h"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/state_dir.h"

namespace meshcore {
namespace {

std::string octal(unsigned mode)
{
    char text[8];
    std::snprintf(text, sizeof text, "%04o", mode & 07777);
    return text;
}

// The mode a `kind` should have: what meshd itself creates.
unsigned wantedMode(PathKind kind, OthersMay others)
{
    if (kind == PathKind::Directory)
        return others == OthersMay::Read ? 0755 : 0700;
    return others == OthersMay::Read ? 0644 : 0600;
}

// The group and other bits `others` forbids.
unsigned forbiddenBits(OthersMay others)
{
    return others == OthersMay::Read ? 022 : 077;
}

const char *kindName(PathKind kind)
{
    return kind == PathKind::Directory ? "directory" : "regular file";
}

} // namespace

Result<void> checkPrivate(const struct stat &info, const std::filesystem::path &path, PathKind kind,
                          OthersMay others, std::string_view label)
{
    const std::string what
        = label.empty() ? path.string() : std::string(label) + " " + path.string();
    if (S_ISLNK(info.st_mode))
        return makeError(
            ErrorCode::PermissionDenied,
            what + " is a symbolic link, which meshd does not follow: replace it with the "
                + (kind == PathKind::Directory ? "directory" : "file")
                + " it points to, or remove it");
    const bool rightKind
        = kind == PathKind::Directory ? S_ISDIR(info.st_mode) : S_ISREG(info.st_mode);
    if (!rightKind)
        return makeError(ErrorCode::InvalidArgument,
                         what + " exists but is not a " + kindName(kind) + ": remove it");
    const uid_t me = ::geteuid();
    if (info.st_uid != me)
        return makeError(ErrorCode::PermissionDenied,
                         what + " is owned by uid " + std::to_string(info.st_uid)
                             + ", not you (uid " + std::to_string(me) + "): remove it or chown it");
    if ((info.st_mode & forbiddenBits(others)) != 0)
        return makeError(ErrorCode::PermissionDenied,
                         "permissions " + octal(info.st_mode) + " for " + what
                             + " are too open: chmod " + octal(wantedMode(kind, others)).substr(1)
                             + " " + path.string());
    return {};
}

Result<void> checkPrivatePath(const std::filesystem::path &path, PathKind kind, OthersMay others,
                              std::string_view label)
{
    struct stat info { };
    if (::lstat(path.c_str(), &info) != 0)
        return tl::unexpected(systemError("cannot examine", path, errno));
    return checkPrivate(info, path, kind, others, label);
}

Result<int> openPrivateFile(const std::filesystem::path &path, int flags, OthersMay others)
{
    // O_NONBLOCK: opening a FIFO planted under a file's name must not hang; it does nothing to a
    // regular file, and it is cleared again once the file is known to be one.
    const int fd = ::open(path.c_str(), flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
    if (fd < 0) {
        const int err = errno;
        if (err == ELOOP) // the last component is a symbolic link: say so, and how to fix it
            if (auto checked = checkPrivatePath(path, PathKind::File, others); !checked)
                return tl::unexpected(checked.error());
        return tl::unexpected(systemError("cannot open", path, err));
    }
    struct stat info { };
    Result<void> checked = ::fstat(fd, &info) == 0
        ? checkPrivate(info, path, PathKind::File, others)
        : Result<void>(tl::unexpected(systemError("cannot examine", path, errno)));
    if (checked && ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0)
        checked = tl::unexpected(systemError("cannot use", path, errno));
    if (!checked) {
        ::close(fd);
        return tl::unexpected(checked.error());
    }
    return fd;
}

Result<std::string> readPrivateFile(const std::filesystem::path &path, std::size_t maxBytes,
                                    OthersMay others)
{
    auto fd = openPrivateFile(path, O_RDONLY, others);
    if (!fd)
        return tl::unexpected(fd.error());
    auto contents = readOpenFile(*fd, path, maxBytes);
    ::close(*fd);
    return contents;
}

} // namespace meshcore
