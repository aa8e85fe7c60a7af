#include "admin/admin_token.h"

#include <array>
#include <cctype>
#include <sys/stat.h>

#include <openssl/rand.h>

#include "core/state_dir.h"

namespace meshcore::admin {
namespace {

constexpr std::size_t TokenBytes = 32;

bool looksLikeToken(const std::string &token)
{
    if (token.size() != TokenBytes * 2)
        return false;
    for (const char c : token)
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return false;
    return true;
}

Result<std::string> generateToken()
{
    std::array<unsigned char, TokenBytes> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        return makeError(ErrorCode::Internal, "the system random generator failed");
    static constexpr char Hex[] = "0123456789abcdef";
    std::string token;
    token.reserve(TokenBytes * 2);
    for (const auto b : bytes) {
        token.push_back(Hex[b >> 4]);
        token.push_back(Hex[b & 0xf]);
    }
    return token;
}

} // namespace

Result<std::string> readAdminToken(const std::filesystem::path &stateDir)
{
    const auto path = stateDir / AdminTokenFileName;
    auto contents = readSmallFile(path, 4096);
    if (!contents)
        return makeError(contents.error().code,
                         contents.error().message + " (meshd writes it when it starts)");
    std::string token = *contents;
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
        token.pop_back();
    if (!looksLikeToken(token))
        return makeError(ErrorCode::InvalidArgument,
                         path.string() + " does not hold an admin token; delete it and restart meshd");
    return token;
}

Result<std::string> loadOrCreateAdminToken(const std::filesystem::path &stateDir)
{
    const auto path = stateDir / AdminTokenFileName;
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
        if ((info.st_mode & 077) != 0)
            return makeError(ErrorCode::PermissionDenied,
                             path.string() + " can be read by other users; run 'chmod 600 "
                                 + path.string() + "' or delete it so meshd makes a new one");
        return readAdminToken(stateDir);
    }
    auto token = generateToken();
    if (!token)
        return token;
    if (auto written = writeFileAtomically(path, *token + "\n", 0600); !written)
        return tl::unexpected(written.error());
    return token;
}

} // namespace meshcore::admin
