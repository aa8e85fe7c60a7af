// The one table of the admin API's error codes and their spelling.
#include "admin/api_errors.h"

#include <array>
#include <utility>

namespace meshcore::admin {
namespace {

constexpr std::array<std::pair<ApiErrorCode, const char *>, 21> Names = {{
    {ApiErrorCode::MalformedRequest, "malformed-request"},
    {ApiErrorCode::HeaderTooLarge, "header-too-large"},
    {ApiErrorCode::BodyTooLarge, "body-too-large"},
    {ApiErrorCode::MisdirectedRequest, "misdirected-request"},
    {ApiErrorCode::ForbiddenOrigin, "forbidden-origin"},
    {ApiErrorCode::Unauthorized, "unauthorized"},
    {ApiErrorCode::NotFound, "not-found"},
    {ApiErrorCode::InvalidArgument, "invalid-argument"},
    {ApiErrorCode::InvalidConfig, "invalid-config"},
    {ApiErrorCode::NoConfigFile, "no-config-file"},
    {ApiErrorCode::TooManyTaps, "too-many-taps"},
    {ApiErrorCode::Internal, "internal"},
    {ApiErrorCode::PermissionDenied, "permission-denied"},
    {ApiErrorCode::AlreadyExists, "already-exists"},
    {ApiErrorCode::AddressInUse, "address-in-use"},
    {ApiErrorCode::ConnectionRefused, "connection-refused"},
    {ApiErrorCode::Timeout, "timeout"},
    {ApiErrorCode::Protocol, "protocol"},
    {ApiErrorCode::Config, "config"},
    {ApiErrorCode::Io, "io"},
    {ApiErrorCode::Busy, "busy"},
}};

} // namespace

const char *apiErrorCodeName(ApiErrorCode code)
{
    for (const auto &[c, name] : Names)
        if (c == code)
            return name;
    return "internal";
}

std::optional<ApiErrorCode> apiErrorCodeFromName(std::string_view name)
{
    for (const auto &[code, spelled] : Names)
        if (name == spelled)
            return code;
    return std::nullopt;
}

ApiErrorCode apiErrorCodeOf(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument:
        return ApiErrorCode::InvalidArgument;
    case ErrorCode::NotFound:
        return ApiErrorCode::NotFound;
    case ErrorCode::PermissionDenied:
        return ApiErrorCode::PermissionDenied;
    case ErrorCode::AlreadyExists:
        return ApiErrorCode::AlreadyExists;
    case ErrorCode::AddressInUse:
        return ApiErrorCode::AddressInUse;
    case ErrorCode::ConnectionRefused:
        return ApiErrorCode::ConnectionRefused;
    case ErrorCode::Timeout:
        return ApiErrorCode::Timeout;
    case ErrorCode::Unauthorized:
        return ApiErrorCode::Unauthorized;
    case ErrorCode::Protocol:
        return ApiErrorCode::Protocol;
    case ErrorCode::Config:
        return ApiErrorCode::Config;
    case ErrorCode::Io:
        return ApiErrorCode::Io;
    case ErrorCode::Busy:
        return ApiErrorCode::Busy;
    case ErrorCode::Internal:
        return ApiErrorCode::Internal;
    }
    return ApiErrorCode::Internal;
}

} // namespace meshcore::admin
