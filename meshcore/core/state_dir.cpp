#include "core/state_dir.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace meshcore {
namespace {

std::string describeErrno(const std::string &what, const std::filesystem::path &path, int err)
{
    return what + " " + path.string() + ": " + std::strerror(err);
}

ErrorCode codeForErrno(int err)
{
    switch (err) {
    case EACCES:
    case EPERM: return ErrorCode::PermissionDenied;
    case ENOENT: return ErrorCode::NotFound;
    case EEXIST: return ErrorCode::AlreadyExists;
    default: return ErrorCode::Io;
    }
}

// Closes a file descriptor on scope exit.
class FdGuard {
public:
    explicit FdGuard(int fd) : m_fd(fd) {}
    ~FdGuard() { if (m_fd >= 0) ::close(m_fd); }
    FdGuard(const FdGuard &) = delete;
    FdGuard &operator=(const FdGuard &) = delete;
    int get() const { return m_fd; }
    int release() { int fd = m_fd; m_fd = -1; return fd; }

private:
    int m_fd;
};

} // namespace

std::filesystem::path defaultStateDir()
{
    if (const char *xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg)
        return std::filesystem::path(xdg) / "meshscope";
    if (const char *home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".local" / "state" / "meshscope";
    return std::filesystem::path("/tmp") / ("meshscope-" + std::to_string(::getuid()));
}

Result<void> ensurePrivateDir(const std::filesystem::path &dir)
{
    std::error_code ec;
    if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec))
        return makeError(ErrorCode::InvalidArgument,
                         "state directory " + dir.string() + " exists but is not a directory");
    if (dir.has_parent_path())
        std::filesystem::create_directories(dir.parent_path(), ec);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        return makeError(codeForErrno(errno), describeErrno("cannot create", dir, errno));
    if (::chmod(dir.c_str(), 0700) != 0)
        return makeError(codeForErrno(errno), describeErrno("cannot make private", dir, errno));
    return {};
}

Result<void> writeFileAtomically(const std::filesystem::path &path, std::string_view contents,
                                 unsigned mode)
{
    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::random_device random;
    const auto temp = dir / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid())
                             + "-" + std::to_string(random()));
    // The mode is set at creation, so a key is never readable by others, not even for a moment.
    FdGuard fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (fd.get() < 0)
        return makeError(codeForErrno(errno), describeErrno("cannot create", temp, errno));
    const auto fail = [&](const std::string &what) {
        const int err = errno;
        ::unlink(temp.c_str());
        return makeError(codeForErrno(err), describeErrno(what, path, err));
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
        return makeError(codeForErrno(errno), describeErrno("cannot open", path, errno));
    std::string data;
    char buffer[4096];
    for (;;) {
        const auto n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return makeError(codeForErrno(errno), describeErrno("cannot read", path, errno));
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
