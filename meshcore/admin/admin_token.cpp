#include "admin/admin_token.h"

#include <array>
#include <cctype>

#include <openssl/rand.h>

#include "core/private_path.h"
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
    std::array<unsigned char, TokenBytes> bytes {};
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
    // Only a token file of the user's own, that nobody else could have planted or read.
    auto contents = readPrivateFile(path, 4096);
    if (!contents) {
        if (contents.error().code == ErrorCode::NotFound)
            return makeError(ErrorCode::NotFound,
                             contents.error().message + " (meshd writes it when it starts)");
        return tl::unexpected(contents.error());
    }
    std::string token = *contents;
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
        token.pop_back();
    if (!looksLikeToken(token))
        return makeError(ErrorCode::InvalidArgument,
                         path.string()
                             + " does not hold an admin token; delete it and restart meshd");
    return token;
}

Result<std::string> loadOrCreateAdminToken(const std::filesystem::path &stateDir)
{
    auto existing = readAdminToken(stateDir);
    if (existing || existing.error().code != ErrorCode::NotFound)
        return existing;
    auto token = generateToken();
    if (!token)
        return token;
    const auto path = stateDir / AdminTokenFileName;
    if (auto written = writeFileAtomically(path, *token + "\n", 0600); !written)
        return tl::unexpected(written.error());
    return token;
}

} // namespace meshcore::admin
