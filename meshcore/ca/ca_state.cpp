#include "ca/ca_state.h"

#include <nlohmann/json.hpp>

#include "ca/openssl_handles.h"
#include "ca/spiffe_id.h"
#include "core/json_dump.h"

namespace meshcore::ca {
namespace {

bool keyMatches(const KeyedCertificate &kc)
{
    return X509_check_private_key(kc.certificate.get(), kc.key.get()) == 1;
}

bool signedBy(const Certificate &child, const Certificate &parent)
{
    EVP_PKEY *key = X509_get0_pubkey(parent.get());
    return key && X509_verify(child.get(), key) == 1
        && X509_NAME_cmp(X509_get_issuer_name(child.get()), X509_get_subject_name(parent.get()))
        == 0;
}

bool inBundle(const std::vector<Certificate> &bundle, const Certificate &c)
{
    for (const auto &b : bundle)
        if (b.sameAs(c))
            return true;
    return false;
}

nlohmann::json keyedToJson(const KeyedCertificate &kc)
{
    return {{"certificate", kc.certificate.toPem()}, {"key", kc.key.toPem()}};
}

Result<KeyedCertificate> keyedFromJson(const nlohmann::json &json, const std::string &what)
{
    auto certificate = Certificate::fromPem(json.at("certificate").get<std::string>());
    if (!certificate)
        return makeError(ErrorCode::Config, what + " certificate: " + certificate.error().message);
    auto key = PrivateKey::fromPem(json.at("key").get<std::string>());
    if (!key)
        return makeError(ErrorCode::Config, what + " key: " + key.error().message);
    return KeyedCertificate {*certificate, *key};
}

} // namespace

const char *anchorStageName(AnchorStage stage)
{
    switch (stage) {
    case AnchorStage::Stable:
        return "stable";
    case AnchorStage::Added:
        return "added";
    case AnchorStage::Reissued:
        return "reissued";
    }
    return "unknown";
}

Result<void> validateSettings(const CaSettings &s)
{
    if (!parseSpiffeId("spiffe://" + s.trustDomain + "/ns/a/sa/b"))
        return makeError(ErrorCode::InvalidArgument,
                         "'" + s.trustDomain + "' is not a valid trust domain");
    if (s.leafLifetime < Seconds(1) || s.issuerLifetime < Seconds(1)
        || s.anchorLifetime < Seconds(1))
        return makeError(ErrorCode::InvalidArgument, "certificate lifetimes must be at least 1s");
    if (s.clockSkew < Seconds(0) || s.clockSkew > std::chrono::hours(1))
        return makeError(ErrorCode::InvalidArgument,
                         "the clock-skew allowance must be between 0s and 1h");
    if (s.issuerLifetime > s.anchorLifetime)
        return makeError(ErrorCode::InvalidArgument,
                         "the issuer lifetime cannot exceed the trust anchor's");
    if (s.leafLifetime > s.issuerLifetime)
        return makeError(ErrorCode::InvalidArgument,
                         "the workload certificate lifetime cannot exceed the issuer's");
    return {};
}

Result<void> validateState(const CaState &state)
{
    const auto damaged = [](const std::string &why) { return makeError(ErrorCode::Config, why); };
    if (state.trustBundle.empty())
        return damaged("the trust bundle is empty");
    for (const auto &anchor : state.trustBundle)
        if (!anchor.isCa())
            return damaged("the trust bundle holds a certificate that is not a CA");
    if (!keyMatches(state.signingAnchor))
        return damaged("the signing trust anchor's key does not match its certificate");
    if (!keyMatches(state.issuer))
        return damaged("the issuer's key does not match its certificate");
    if (!inBundle(state.trustBundle, state.signingAnchor.certificate))
        return damaged("the signing trust anchor is not in the trust bundle");
    if (!signedBy(state.issuer.certificate, state.signingAnchor.certificate))
        return damaged("the issuer does not chain to the signing trust anchor");
    if (state.stage == AnchorStage::Added) {
        if (!state.nextAnchor)
            return damaged("stage 'added' without a new trust anchor");
        if (!keyMatches(*state.nextAnchor)
            || !inBundle(state.trustBundle, state.nextAnchor->certificate))
            return damaged("the new trust anchor is not in the bundle or its key does not match");
    } else if (state.nextAnchor) {
        return damaged("a pending trust anchor outside stage 'added'");
    }
    if (state.stage == AnchorStage::Stable && state.trustBundle.size() != 1)
        return damaged("stage 'stable' with more than one trust anchor");
    return {};
}

std::string serializeState(const CaState &state)
{
    nlohmann::json bundle = nlohmann::json::array();
    for (const auto &c : state.trustBundle)
        bundle.push_back(c.toPem());
    nlohmann::json json = {
        {"format", 1},
        {"generation", state.generation},
        {"settings",
         {{"trust_domain", state.settings.trustDomain},
          {"anchor_lifetime_seconds", state.settings.anchorLifetime.count()},
          {"issuer_lifetime_seconds", state.settings.issuerLifetime.count()},
          {"leaf_lifetime_seconds", state.settings.leafLifetime.count()},
          {"clock_skew_seconds", state.settings.clockSkew.count()}}},
        {"anchor_stage", anchorStageName(state.stage)},
        {"trust_bundle", bundle},
        {"signing_anchor", keyedToJson(state.signingAnchor)},
        {"issuer", keyedToJson(state.issuer)},
    };
    if (state.nextAnchor)
        json["next_anchor"] = keyedToJson(*state.nextAnchor);
    return dumpJson(json, 2) + "\n";
}

Result<CaState> parseState(std::string_view text, std::string_view source)
{
    const std::string where(source);
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return makeError(ErrorCode::Config, where + " is not valid JSON (damaged or truncated)");
    try {
        if (json.at("format").get<int>() != 1)
            return makeError(ErrorCode::Config, where + " has an unknown format version");
        CaState state;
        state.generation = json.at("generation").get<std::int64_t>();
        const auto &s = json.at("settings");
        state.settings.trustDomain = s.at("trust_domain").get<std::string>();
        state.settings.anchorLifetime
            = Seconds(s.at("anchor_lifetime_seconds").get<std::int64_t>());
        state.settings.issuerLifetime
            = Seconds(s.at("issuer_lifetime_seconds").get<std::int64_t>());
        state.settings.leafLifetime = Seconds(s.at("leaf_lifetime_seconds").get<std::int64_t>());
        state.settings.clockSkew = Seconds(s.at("clock_skew_seconds").get<std::int64_t>());
        const auto stage = json.at("anchor_stage").get<std::string>();
        if (stage == "stable")
            state.stage = AnchorStage::Stable;
        else if (stage == "added")
            state.stage = AnchorStage::Added;
        else if (stage == "reissued")
            state.stage = AnchorStage::Reissued;
        else
            return makeError(ErrorCode::Config, where + ": unknown anchor stage '" + stage + "'");
        std::string bundle;
        for (const auto &pem : json.at("trust_bundle"))
            bundle += pem.get<std::string>();
        auto anchors = parseTrustBundle(bundle, where + " trust_bundle");
        if (!anchors)
            return makeError(ErrorCode::Config, anchors.error().message);
        state.trustBundle = std::move(*anchors);
        auto signing = keyedFromJson(json.at("signing_anchor"), "signing trust anchor");
        auto issuer = keyedFromJson(json.at("issuer"), "issuer");
        if (!signing || !issuer)
            return makeError(ErrorCode::Config,
                             where + ": " + (!signing ? signing.error() : issuer.error()).message);
        state.signingAnchor = std::move(*signing);
        state.issuer = std::move(*issuer);
        if (json.contains("next_anchor")) {
            auto next = keyedFromJson(json.at("next_anchor"), "new trust anchor");
            if (!next)
                return makeError(ErrorCode::Config, where + ": " + next.error().message);
            state.nextAnchor = std::move(*next);
        }
        if (auto valid = validateSettings(state.settings); !valid)
            return makeError(ErrorCode::Config, where + ": " + valid.error().message);
        if (auto valid = validateState(state); !valid)
            return makeError(ErrorCode::Config, where + ": " + valid.error().message);
        return state;
    } catch (const nlohmann::json::exception &e) {
        return makeError(ErrorCode::Config, where + " is missing fields (" + e.what() + ")");
    }
}

} // namespace meshcore::ca
