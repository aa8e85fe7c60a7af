#include "daemon/startup.h"

#include <fstream>
#include <ostream>
#include <sstream>

#include "admin/admin_token.h"
#include "core/clock.h"
#include "core/state_dir.h"
#include "demo/demo_mesh.h"

namespace meshcore::daemon {
namespace {

Result<control::MeshConfig> loadConfig(const UpOptions &options)
{
    if (options.configFile)
        return control::loadMeshConfigFile(*options.configFile);
    return control::parseMeshConfig(demo::demoMeshYaml(), demo::DemoMeshSource);
}

std::string configTextOf(const UpOptions &options)
{
    if (!options.configFile)
        return {};
    std::ifstream file(*options.configFile, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

ca::CaSettings caSettingsFor(const control::MeshConfig &config)
{
    ca::CaSettings settings;
    settings.trustDomain = config.trustDomain;
    settings.anchorLifetime = config.identity.trustAnchorLifetime;
    settings.issuerLifetime = config.identity.issuerLifetime;
    settings.leafLifetime = config.identity.workloadLifetime;
    settings.clockSkew = config.identity.clockSkew;
    return settings;
}

Result<std::unique_ptr<StateLock>> claimStateDir(const std::filesystem::path &stateDir)
{
    if (auto dir = ensurePrivateDir(stateDir, "state directory"); !dir)
        return tl::unexpected(dir.error());
    auto stateLock = StateLock::acquire(stateDir);
    if (!stateLock)
        return stateLock;
    if (auto contents = checkStateDirContents(stateDir); !contents)
        return tl::unexpected(contents.error());
    // Under the state lock no other meshd writes here: these were left by one that was killed
    // (the CA's own directory is cleaned under its lock, which `meshd ca` verbs take too).
    removeStaleTempFiles(stateDir);
    return stateLock;
}

Result<std::unique_ptr<ca::CertificateAuthority>>
openAuthority(const std::filesystem::path &stateDir, const control::MeshConfig &config)
{
    auto authority
        = ca::CertificateAuthority::openOrCreate(stateDir, caSettingsFor(config), systemClock());
    if (authority && (*authority)->settings().trustDomain != config.trustDomain)
        return makeError(ErrorCode::Config,
                         "the CA in " + (*authority)->directory().string()
                             + " is for trust domain '" + (*authority)->settings().trustDomain
                             + "' but " + config.source + " says '" + config.trustDomain
                             + "'; use another --state-dir or fix the configuration");
    return authority;
}

} // namespace

int layFoundations(const UpOptions &options, Foundations &foundations, std::ostream &err)
{
    const auto fail = [&err](const Error &error, int status) {
        err << "meshd: " << error.message << "\n";
        return status;
    };
    foundations.descriptors = raiseDescriptorLimit();
    foundations.config = loadConfig(options);
    if (!foundations.config)
        return fail(foundations.config.error(), 2);
    foundations.configText = configTextOf(options);
    foundations.stateLock = claimStateDir(options.stateDir);
    if (!foundations.stateLock)
        return fail(foundations.stateLock.error(), 1);
    foundations.token = admin::loadOrCreateAdminToken(options.stateDir);
    if (!foundations.token)
        return fail(foundations.token.error(), 1);
    foundations.authority = openAuthority(options.stateDir, *foundations.config);
    if (!foundations.authority)
        return fail(foundations.authority.error(), 1);
    return 0;
}

} // namespace meshcore::daemon
