#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace meshcore::control {

using Millis = std::chrono::milliseconds;

// Which failures a retry answers (Linkerd's conditions).
struct RetryConditions {
    bool serverError = false; // "5xx": any 5xx response
    bool gatewayError = false; // "gateway-error": 502, 503, 504
    bool connectFailure = false; // "connect-failure": no connection, or no response on it
    bool operator==(const RetryConditions &) const = default;
};

// Retries of one route (or a service's routes by default). Only idempotent methods (GET, HEAD,
// OPTIONS, TRACE, PUT, DELETE) unless `nonIdempotent`; never a request with a body over 64 KiB
// or a chunked one; never after the request's timeout.
struct RetryConfig {
    unsigned limit = 1; // retries after the first attempt
    RetryConditions on;
    bool nonIdempotent = false;
    Millis backoff {25}; // the first retry waits backoff x [0.5, 1.5), doubling per retry
    bool operator==(const RetryConfig &) const = default;
};

// At most min_per_second x ttl + ratio x (requests in the last ttl) retries in the last ttl.
struct RetryBudgetConfig {
    double ratio = 0.2;
    unsigned minPerSecond = 10;
    std::chrono::seconds ttl {10};
    bool operator==(const RetryBudgetConfig &) const = default;
};

// Failure accrual per replica: `consecutiveFailures` failures in a row eject it; it is probed
// after a penalty from minPenalty doubling to maxPenalty, each x [1 - jitter/2, 1 + jitter/2).
struct FailureAccrualConfig {
    unsigned consecutiveFailures = 7;
    Millis minPenalty {1000};
    Millis maxPenalty {60000};
    double jitter = 0.5;
    bool operator==(const FailureAccrualConfig &) const = default;
};

// Power of two choices over peak-EWMA latency.
struct BalancerConfig {
    Millis defaultRtt {30};
    Millis decay {10000};
    bool operator==(const BalancerConfig &) const = default;
};

// Fault injection, for demos and training: off unless a percentage is set.
struct FaultConfig {
    double delayPercent = 0;
    Millis delay {0};
    double abortPercent = 0;
    unsigned abortStatus = 503;
    bool operator==(const FaultConfig &) const = default;
};

// What a route (or, as defaults, a service) does to a request; unset fields inherit.
struct RequestPolicy {
    std::optional<Millis> timeout; // whole exchange, retries included; 504 at the deadline
    std::optional<RetryConfig> retries;
    std::optional<FaultConfig> faults;

    // This policy with the gaps filled from `defaults`.
    RequestPolicy over(const RequestPolicy &defaults) const
    {
        return {timeout ? timeout : defaults.timeout, retries ? retries : defaults.retries,
                faults ? faults : defaults.faults};
    }
    bool operator==(const RequestPolicy &) const = default;
};

// One entry of a service's traffic split, as a Gateway API HTTPRoute backendRef.
struct BackendWeight {
    std::string version;
    unsigned weight = 0;
    bool operator==(const BackendWeight &) const = default;
};

// "v1=90 v2=10", as the logs, events and messages write a split.
inline std::string splitText(const std::vector<BackendWeight> &split)
{
    std::string text;
    for (const auto &backend : split) {
        if (!text.empty())
            text += ' ';
        text += backend.version;
        text += '=';
        text += std::to_string(backend.weight);
    }
    return text;
}

// Which requests a pin takes (an exact match on a header's or a cookie's value).
struct RequestMatch {
    enum class Kind { Header, Cookie };
    Kind kind = Kind::Header;
    std::string name; // a header name (case-insensitive) or a cookie name
    std::string value;
    bool operator==(const RequestMatch &) const = default;
};

// Requests matching `match` go to `version`, whatever the split says (an A/B rollout's
// audience, meshd's analysis traffic to a rollout's candidate).
struct VersionPin {
    RequestMatch match;
    std::string version;
    bool operator==(const VersionPin &) const = default;
};

} // namespace meshcore::control
