#include "core/state_dir.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

#include "core/private_path.h"

namespace meshcore {
namespace {

// Closes a file descriptor on scope exit.
class FdGuard {
public:
    explicit FdGuard(int fd)
        : m_fd(fd)
    {
    }
    ~FdGuard()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FdGuard(const FdGuard &) = delete;
    FdGuard &operator=(const FdGuard &) = delete;
    int get() const { return m_fd; }
    int release()
    {
        int fd = m_fd;
        m_fd = -1;
        return fd;
    }

private:
    int m_fd;
};

constexpr std::string_view TempMarker = ".tmp-";

// What meshd keeps at the top of a state directory (admin/admin_token.h, daemon/state_lock.h,
// ca/certificate_authority.cpp, the supervisor's logs). Everything inside ca/ and logs/ is
// checked too, whatever its name.
struct KeptEntry {
    const char *name;
    PathKind kind;
};
constexpr KeptEntry TopLevel[] = {
    {"meshd.lock", PathKind::File},
    {"admin.token", PathKind::File},
    {"ca", PathKind::Directory},
    {"logs", PathKind::Directory},
};
constexpr const char *PublicInCa = "trust-bundle.pem"; // certificates only, for openssl verify

bool missing(const Result<void> &checked)
{
    return !checked && checked.error().code == ErrorCode::NotFound;
}

// Earlier versions made logs/ with the umask (0755): that one is tightened rather than refused.
Result<void> checkLogsDir(const std::filesystem::path &logs)
{
    auto checked = checkPrivatePath(logs, PathKind::Directory);
    if (checked || missing(checked))
        return checked;
    if (checkPrivatePath(logs, PathKind::Directory, OthersMay::Read)) {
        FdGuard fd(::open(logs.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (fd.get() >= 0 && ::fchmod(fd.get(), 0700) == 0)
            return {};
    }
    return checked;
}

// Every entry of `dir` (a checked directory) but temporary files, as private files.
Result<void> checkEntries(const std::filesystem::path &dir)
{
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (isAtomicWriteTemp(name))
            continue;
        const auto others = name == PublicInCa ? OthersMay::Read : OthersMay::Nothing;
        if (auto checked = checkPrivatePath(entry.path(), PathKind::File, others);
            !checked && !missing(checked))
            return checked;
    }
    if (ec)
        return tl::unexpected(systemError("cannot list", dir, ec.value()));
    return {};
}

} // namespace

Error systemError(std::string_view what, const std::filesystem::path &path, int err)
{
    ErrorCode code = ErrorCode::Io;
    switch (err) {
    case EACCES:
    case EPERM:
        code = ErrorCode::PermissionDenied;
        break;
    case ENOENT:
        code = ErrorCode::NotFound;
        break;
    case EEXIST:
        code = ErrorCode::AlreadyExists;
        break;
    default:
        break;
    }
    return Error {code, std::string(what) + " " + path.string() + ": " + std::strerror(err)};
}

std::filesystem::path defaultStateDir()
{
    if (const char *xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg)
        return std::filesystem::path(xdg) / "meshscope";
    if (const char *home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".local" / "state" / "meshscope";
    return std::filesystem::path("/tmp") / ("meshscope-" + std::to_string(::getuid()));
}

Result<void> ensurePrivateDir(const std::filesystem::path &dir, std::string_view label)
{
    std::error_code ec;
    if (dir.has_parent_path())
        std::filesystem::create_directories(dir.parent_path(), ec);
    // mkdir never follows a link at the last component (EEXIST); the open below refuses one.
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        return tl::unexpected(systemError("cannot create", dir, errno));
    FdGuard fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    const int openError = errno;
    struct stat info { };
    // Open, fstat checks what was opened; not (a link, a file, someone else's 0700), lstat says
    // why.
    if (fd.get() >= 0 ? ::fstat(fd.get(), &info) != 0 : ::lstat(dir.c_str(), &info) != 0)
        return tl::unexpected(systemError("cannot examine", dir, errno));
    if (auto checked = checkPrivate(info, dir, PathKind::Directory, OthersMay::Nothing, label);
        !checked)
        return checked;
    if (fd.get() < 0)
        return tl::unexpected(systemError("cannot open", dir, openError));
    return {};
}

Result<void> checkStateDirContents(const std::filesystem::path &stateDir)
{
    for (const auto &entry : TopLevel) {
        const auto path = stateDir / entry.name;
        auto checked = std::string_view(entry.name) == "logs" ? checkLogsDir(path)
                                                              : checkPrivatePath(path, entry.kind);
        if (missing(checked))
            continue;
        if (!checked)
            return checked;
        if (entry.kind == PathKind::Directory)
            if (auto inside = checkEntries(path); !inside)
                return inside;
    }
    return {};
}

bool isAtomicWriteTemp(std::string_view name)
{
    // ".NAME.tmp-PID-N", as writeFileAtomically names them.
    const auto marker = name.rfind(TempMarker);
    if (name.size() < 2 || name.front() != '.' || marker == std::string_view::npos || marker < 2)
        return false;
    const auto suffix = name.substr(marker + TempMarker.size());
    const auto dash = suffix.find('-');
    const auto digits = [](std::string_view text) {
        return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
    };
    return dash != std::string_view::npos && digits(suffix.substr(0, dash))
        && digits(suffix.substr(dash + 1));
}

std::size_t removeStaleTempFiles(const std::filesystem::path &dir)
{
    std::size_t removed = 0;
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
        std::error_code typeError;
        if (!isAtomicWriteTemp(entry.path().filename().string())
            || entry.symlink_status(typeError).type() == std::filesystem::file_type::directory)
            continue;
        // unlink removes a link itself, never what it points to.
        if (::unlink(entry.path().c_str()) == 0)
            ++removed;
    }
    return removed;
}

Result<void> writeFileAtomically(const std::filesystem::path &path, std::string_view contents,
                                 unsigned mode)
{
    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::random_device random;
    const auto temp = dir
        / ("." + path.filename().string() + std::string(TempMarker) + std::to_string(::getpid())
           + "-" + std::to_string(random()));
    // The mode is set at creation, so a key is never readable by others, not even for a moment;
    // O_EXCL (and O_NOFOLLOW) never write through a link planted under the temporary name.
    FdGuard fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (fd.get() < 0)
        return tl::unexpected(systemError("cannot create", temp, errno));
    const auto fail = [&](std::string_view what) {
        const int err = errno;
        ::unlink(temp.c_str());
        return tl::unexpected(systemError(what, path, err));
    };
    if (::fchmod(fd.get(), mode) != 0)
        return fail("cannot set permissions of");
    std::size_t written = 0;
    while (written < contents.size()) {
        const auto n = ::write(fd.get(), contents.data() + written, contents.size() - written);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail("cannot write");
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0)
        return fail("cannot flush");
    if (::close(fd.release()) != 0)
        return fail("cannot close");
    if (::rename(temp.c_str(), path.c_str()) != 0)
        return fail("cannot replace");
    FdGuard dirFd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dirFd.get() >= 0)
        ::fsync(dirFd.get());
    return {};
}

Result<std::string> readSmallFile(const std::filesystem::path &path, std::size_t maxBytes)
{
    FdGuard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        return tl::unexpected(systemError("cannot open", path, errno));
    return readOpenFile(fd.get(), path, maxBytes);
}

Result<std::string> readOpenFile(int fd, const std::filesystem::path &path, std::size_t maxBytes)
{
    std::string data;
    char buffer[4096];
    for (;;) {
        const auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return tl::unexpected(systemError("cannot read", path, errno));
        }
        if (n == 0)
            break;
        data.append(buffer, static_cast<std::size_t>(n));
        if (data.size() > maxBytes)
            return makeError(ErrorCode::InvalidArgument,
                             path.string() + " is larger than " + std::to_string(maxBytes)
                                 + " bytes");
    }
    return data;
}

} // namespace meshcore
