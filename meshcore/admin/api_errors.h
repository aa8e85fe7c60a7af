#pragma once

// The admin API's error codes: the one table of them, each spelled once (api_errors.cpp), in
// kebab-case as docs/api.md lists them. Every error answer is
// {"error": {"code": apiErrorCodeName(code), "message": ...}} (admin::errorResponse).

#include <optional>
#include <string_view>

#include "core/result.h"

namespace meshcore::admin {

enum class ApiErrorCode {
    // Of the HTTP layer and the routes.
    MalformedRequest, // "malformed-request": malformed HTTP
    HeaderTooLarge, // "header-too-large"
    BodyTooLarge, // "body-too-large"
    MisdirectedRequest, // "misdirected-request": a Host that is not loopback
    ForbiddenOrigin, // "forbidden-origin": an Origin that is not a loopback page
    Unauthorized, // "unauthorized": missing or wrong token
    NotFound, // "not-found": no such endpoint or service
    InvalidArgument, // "invalid-argument": a bad parameter or body, a wrong method, a step out of
    // order
    InvalidConfig, // "invalid-config": a configuration file that cannot be applied
    NoConfigFile, // "no-config-file": nothing to reload
    TooManyTaps, // "too-many-taps"
    Internal, // "internal": meshd failed while answering
    // The rest of meshcore's error codes (core/result.h), which a refused change may carry.
    PermissionDenied, // "permission-denied"
    AlreadyExists, // "already-exists"
    AddressInUse, // "address-in-use"
    ConnectionRefused, // "connection-refused"
    Timeout, // "timeout"
    Protocol, // "protocol"
    Config, // "config"
    Io, // "io"
    Busy, // "busy"
    Last = Busy, // keep it naming the last code: the tests go through every code up to it
};

const char *apiErrorCodeName(ApiErrorCode code);
std::optional<ApiErrorCode> apiErrorCodeFromName(std::string_view name);

// The API code of a meshcore error (the same spelling as errorCodeName).
ApiErrorCode apiErrorCodeOf(ErrorCode code);

} // namespace meshcore::admin
