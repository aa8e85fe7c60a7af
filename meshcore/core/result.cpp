#include "core/result.h"

namespace meshcore {

const char *errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument:
        return "invalid-argument";
    case ErrorCode::NotFound:
        return "not-found";
    case ErrorCode::PermissionDenied:
        return "permission-denied";
    case ErrorCode::AlreadyExists:
        return "already-exists";
    case ErrorCode::AddressInUse:
        return "address-in-use";
    case ErrorCode::ConnectionRefused:
        return "connection-refused";
    case ErrorCode::Timeout:
        return "timeout";
    case ErrorCode::Unauthorized:
        return "unauthorized";
    case ErrorCode::Protocol:
        return "protocol";
    case ErrorCode::Config:
        return "config";
    case ErrorCode::Io:
        return "io";
    case ErrorCode::Busy:
        return "busy";
    case ErrorCode::Internal:
        return "internal";
    }
    return "unknown";
}

} // namespace meshcore
