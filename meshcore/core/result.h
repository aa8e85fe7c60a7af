#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace meshcore {

// What went wrong, coarse enough for callers to branch on; the message is for humans.
enum class ErrorCode {
    InvalidArgument,
    NotFound,
    PermissionDenied,
    AlreadyExists,
    AddressInUse,
    ConnectionRefused,
    Timeout,
    Unauthorized,
    Protocol,
    Config,
    Io,
    Busy,
    Internal,
};

// An expected failure, as a value. `message` is one sentence a user can act on.
struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

template <typename T> using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> makeError(ErrorCode code, std::string message)
{
    return tl::unexpected<Error>(Error {code, std::move(message)});
}

const char *errorCodeName(ErrorCode code);

} // namespace meshcore
