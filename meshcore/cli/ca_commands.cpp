#include "cli/ca_commands.h"

#include <ctime>
#include <iomanip>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "admin/api_json.h"
#include "admin/certificate_report.h"
#include "ca/certificate_authority.h"
#include "ca/csr.h"
#include "cli/cli_common.h"
#include "core/duration.h"
#include "core/json_dump.h"
#include "core/state_dir.h"

namespace meshcore::cli {
namespace {

constexpr const char *CaHelp = R"(Usage: meshd ca VERB [FLAGS]

The mesh certificate authority: trust anchor -> issuer -> workload certificates.

  meshd ca init [--trust-domain NAME] [--anchor-lifetime D] [--issuer-lifetime D]
                [--leaf-lifetime D] [--clock-skew D]
        create the CA (meshd up also does, with the lifetimes from mesh.yaml)
  meshd ca issue --identity SPIFFE_ID --out DIR [--lifetime D]
        make a key here and have the CA sign it: DIR/tls.key (0600), DIR/tls.crt (chain),
        DIR/ca.crt (trust bundle)
  meshd ca inspect [--json]
        every certificate the CA knows, with its state (ok, warning, expired)
  meshd ca rotate-issuer
        replace the issuer now (meshd also does it when two thirds of its lifetime passed)
  meshd ca rotate-anchor --stage add|reissue|remove
        replace the trust anchor in three steps: add the new anchor to the trust bundle,
        reissue the issuer under it, then remove the old anchor

Every verb takes --state-dir DIR (default $XDG_STATE_HOME/meshscope). Durations: 30s, 10m, 24h, 365d.
)";

std::string utc(std::int64_t unixSeconds)
{
    const std::time_t t = unixSeconds;
    std::tm tm {};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &tm);
    return buffer;
}

// "364d 23h", "5h 3m", "4m 10s", "12s": the two largest units.
std::string timeLeft(std::int64_t seconds)
{
    if (seconds <= 0)
        return "-";
    const std::int64_t units[] = {86400, 3600, 60, 1};
    const char *names[] = {"d", "h", "m", "s"};
    std::string out;
    int shown = 0;
    for (int i = 0; i < 4 && shown < 2; ++i) {
        if (seconds >= units[i] || shown > 0) {
            out += (out.empty() ? "" : " ") + std::to_string(seconds / units[i]) + names[i];
            seconds %= units[i];
            ++shown;
        }
    }
    return out;
}

void printReport(const admin::CertificateReport &report, std::ostream &out)
{
    out << "Trust domain: " << report.trustDomain << "    anchor rotation: " << report.anchorStage
        << "    generation: " << report.generation
        << "    can issue: " << (report.canIssue ? "yes" : "NO: " + report.problem) << "\n\n";
    std::size_t identityWidth = 8;
    for (const auto &c : report.certificates)
        identityWidth = std::max(identityWidth, c.identity.size());
    out << std::left << std::setw(14) << "KIND" << std::setw(9) << "ROLE"
        << std::setw(static_cast<int>(identityWidth) + 2) << "IDENTITY" << std::setw(18) << "SERIAL"
        << std::setw(21) << "NOT AFTER (UTC)" << std::setw(10) << "LEFT"
        << "STATE\n";
    for (const auto &c : report.certificates) {
        std::string state = c.state;
        for (auto &ch : state)
            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        out << std::left << std::setw(14) << c.kind << std::setw(9)
            << (c.role.empty() ? "-" : c.role) << std::setw(static_cast<int>(identityWidth) + 2)
            << c.identity << std::setw(18) << c.serial.substr(0, 16) << std::setw(21)
            << utc(c.notAfterUnix) << std::setw(10) << timeLeft(c.secondsLeft)
            << (c.state == "ok" ? c.state : state) << "\n";
    }
}

Result<std::chrono::seconds> durationFlag(const ParsedArgs &args, const std::string &name,
                                          std::chrono::seconds fallback)
{
    const auto text = args.value(name);
    if (!text)
        return fallback;
    auto parsed = parseDuration(*text);
    if (!parsed)
        return makeError(ErrorCode::InvalidArgument,
                         "invalid value for --" + name + ": " + parsed.error().message);
    return std::chrono::duration_cast<std::chrono::seconds>(*parsed);
}

int failed(std::ostream &err, const std::string &verb, const Error &error)
{
    err << "meshd ca " << verb << ": " << error.message << "\n";
    return ExitFailed;
}

int runInit(const ParsedArgs &args, const CommonFlags &common, std::ostream &out, std::ostream &err)
{
    ca::CaSettings settings;
    if (const auto domain = args.value("trust-domain"))
        settings.trustDomain = *domain;
    const std::pair<const char *, std::chrono::seconds *> durations[] = {
        {"anchor-lifetime", &settings.anchorLifetime},
        {"issuer-lifetime", &settings.issuerLifetime},
        {"leaf-lifetime", &settings.leafLifetime},
        {"clock-skew", &settings.clockSkew},
    };
    for (const auto &[name, target] : durations) {
        auto value = durationFlag(args, name, *target);
        if (!value)
            return usageError(err, "ca init", value.error().message);
        *target = *value;
    }
    if (auto valid = ca::validateSettings(settings); !valid)
        return usageError(err, "ca init", valid.error().message);
    auto authority
        = ca::CertificateAuthority::openOrCreate(common.stateDir, settings, systemClock());
    if (!authority)
        return failed(err, "init", authority.error());
    const auto actual = (*authority)->settings();
    out << ((*authority)->wasCreated() ? "Created a CA in " : "A CA already exists in ")
        << (*authority)->directory().string() << "\n  trust domain " << actual.trustDomain
        << ", trust anchor " << formatDuration(actual.anchorLifetime) << ", issuer "
        << formatDuration(actual.issuerLifetime) << ", workloads "
        << formatDuration(actual.leafLifetime)
        << "\n  trust bundle: " << ((*authority)->directory() / "trust-bundle.pem").string()
        << "\n";
    return ExitOk;
}

int runIssue(const ParsedArgs &args, const CommonFlags &common, std::ostream &out,
             std::ostream &err)
{
    const auto identityText = args.value("identity");
    const auto outDir = args.value("out");
    if (!identityText || !outDir)
        return usageError(err, "ca issue", "--identity and --out are required");
    auto identity = ca::parseSpiffeId(*identityText);
    if (!identity)
        return usageError(err, "ca issue", identity.error().message);
    std::optional<ca::Seconds> lifetime;
    if (args.has("lifetime")) {
        auto value = durationFlag(args, "lifetime", {});
        if (!value)
            return usageError(err, "ca issue", value.error().message);
        if (value->count() < 1)
            return usageError(err, "ca issue", "--lifetime must be at least 1s");
        lifetime = *value;
    }
    auto authority = ca::CertificateAuthority::open(common.stateDir, systemClock());
    if (!authority)
        return failed(err, "issue", authority.error());

    // The key is made here, by the party that will use it; the CA only sees the request.
    auto key = ca::PrivateKey::generateP256();
    if (!key)
        return failed(err, "issue", key.error());
    auto csr = ca::createCsrPem(*key, *identity);
    if (!csr)
        return failed(err, "issue", csr.error());
    auto issued = (*authority)->issue(*csr, *identity, lifetime);
    if (!issued)
        return failed(err, "issue", issued.error());

    const std::filesystem::path dir = *outDir;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return failed(err, "issue",
                      Error {ErrorCode::Io, "cannot create " + dir.string() + ": " + ec.message()});
    const std::pair<std::string, std::pair<std::string, unsigned>> files[] = {
        {"tls.key", {key->toPem(), 0600}},
        {"tls.crt", {ca::toPem(issued->chain), 0644}},
        {"ca.crt", {ca::toPem(issued->trustBundle), 0644}},
    };
    for (const auto &[name, contents] : files)
        if (auto written = writeFileAtomically(dir / name, contents.first, contents.second);
            !written)
            return failed(err, "issue", written.error());
    (void)(*authority)->saveIssuedInventory();

    const auto &leaf = issued->leaf;
    const auto seconds = [](TimePoint t) {
        return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
    };
    out << "Issued " << leaf.identity() << "\n  serial " << leaf.serialHex() << "\n  valid "
        << utc(seconds(leaf.notBefore())) << " to " << utc(seconds(leaf.notAfter())) << " UTC\n"
        << "  " << (dir / "tls.key").string() << "  private key (0600)\n"
        << "  " << (dir / "tls.crt").string() << "  certificate chain (workload, issuer)\n"
        << "  " << (dir / "ca.crt").string() << "  trust bundle (" << issued->trustBundle.size()
        << " anchor" << (issued->trustBundle.size() == 1 ? "" : "s") << ")\n";
    return ExitOk;
}

int runInspect(const ParsedArgs &args, const CommonFlags &common, std::ostream &out,
               std::ostream &err)
{
    auto authority = ca::CertificateAuthority::open(common.stateDir, systemClock());
    if (!authority)
        return failed(err, "inspect", authority.error());
    const auto report = admin::makeCertificateReport(**authority, systemClock().now());
    if (args.has("json"))
        out << dumpJson(admin::toJson(report), 2) << "\n";
    else
        printReport(report, out);
    return ExitOk;
}

int runRotation(const std::string &verb, const ParsedArgs &args, const CommonFlags &common,
                std::ostream &out, std::ostream &err)
{
    std::optional<ca::AnchorStep> step;
    if (verb == "rotate-anchor") {
        step = ca::parseAnchorStep(args.value("stage").value_or(""));
        if (!step)
            return usageError(err, "ca rotate-anchor", "--stage must be add, reissue or remove");
    }
    auto authority = ca::CertificateAuthority::open(common.stateDir, systemClock());
    if (!authority)
        return failed(err, verb, authority.error());
    auto done = step ? (*authority)->rotateAnchor(*step) : (*authority)->rotateIssuer();
    if (!done)
        return failed(err, verb, done.error());
    const auto stage = ca::anchorStageName((*authority)->anchorStage());
    if (!step)
        out << "Issuer rotated: new workload certificates come from the new issuer; existing ones "
               "stay valid.\n";
    else if (*step == ca::AnchorStep::Add)
        out << "Stage 1 of 3 done: the new trust anchor is in the trust bundle. Let every workload "
               "pick up the new "
               "bundle, then run 'meshd ca rotate-anchor --stage reissue'.\n";
    else if (*step == ca::AnchorStep::Reissue)
        out << "Stage 2 of 3 done: the issuer now chains to the new trust anchor. Once every "
               "workload has renewed "
               "its certificate, run 'meshd ca rotate-anchor --stage remove'.\n";
    else
        out << "Stage 3 of 3 done: the old trust anchor is out of the trust bundle; the rotation "
               "is complete.\n";
    out << "Anchor rotation stage: " << stage << ", generation " << (*authority)->generation()
        << "\n";
    return ExitOk;
}

} // namespace

int runCaVerb(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    if (args.empty() || args.front() == "--help" || args.front() == "-h"
        || args.front() == "help") {
        (args.empty() ? err : out) << CaHelp;
        return args.empty() ? ExitUsage : ExitOk;
    }
    const std::string verb = args.front();
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    std::vector<FlagSpec> flags = {{"state-dir"}, {"help", false}};
    if (verb == "init")
        flags.insert(flags.end(),
                     {{"trust-domain"},
                      {"anchor-lifetime"},
                      {"issuer-lifetime"},
                      {"leaf-lifetime"},
                      {"clock-skew"}});
    else if (verb == "issue")
        flags.insert(flags.end(), {{"identity"}, {"out"}, {"lifetime"}});
    else if (verb == "inspect")
        flags.push_back({"json", false});
    else if (verb == "rotate-anchor")
        flags.push_back({"stage"});
    else if (verb != "rotate-issuer")
        return usageError(err, "ca", "unknown verb '" + verb + "'");

    auto parsed = parseArgs(rest, flags);
    if (!parsed)
        return usageError(err, "ca " + verb, parsed.error().message);
    if (parsed->has("help")) {
        out << CaHelp;
        return ExitOk;
    }
    if (!parsed->positional().empty())
        return usageError(err, "ca " + verb,
                          "unexpected argument '" + parsed->positional().front() + "'");
    CommonFlags common;
    if (auto problem = readCommonFlags(*parsed, common))
        return usageError(err, "ca " + verb, *problem);

    if (verb == "init")
        return runInit(*parsed, common, out, err);
    if (verb == "issue")
        return runIssue(*parsed, common, out, err);
    if (verb == "inspect")
        return runInspect(*parsed, common, out, err);
    return runRotation(verb, *parsed, common, out, err);
}

} // namespace meshcore::cli
