// CA signing throughput and latency on one core, against the peer: OpenSSL's own P-256 signing
// rate on the same machine in the same run (a leaf signing can never beat one raw signature).
//
//   bench_ca_signing [--signings N] [--proxies N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include "ca/certificate_authority.h"
#include "ca/csr.h"
#include "ca/openssl_handles.h"

using namespace meshcore::ca;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The peer: raw ECDSA P-256 signatures of a SHA-256 digest per second, one thread, bounded time.
double rawSignaturesPerSecond()
{
    const auto key = *PrivateKey::generateP256();
    unsigned char digest[32] = {1, 2, 3};
    unsigned char signature[128];
    EvpPkeyCtxPtr context(EVP_PKEY_CTX_new(key.get(), nullptr));
    EVP_PKEY_sign_init(context.get());
    int count = 0;
    const auto start = Clock::now();
    while (secondsSince(start) < 2.0) {
        for (int i = 0; i < 100; ++i) {
            std::size_t length = sizeof signature;
            EVP_PKEY_sign(context.get(), signature, &length, digest, sizeof digest);
            digest[0] = static_cast<unsigned char>(count + i);
        }
        count += 100;
    }
    return count / secondsSince(start);
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1,
                           static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

} // namespace

int main(int argc, char **argv)
{
    int signings = 20000;
    int proxies = 1000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--signings") == 0)
            signings = std::max(100, std::atoi(argv[i + 1]));
        else if (std::strcmp(argv[i], "--proxies") == 0)
            proxies = std::max(10, std::atoi(argv[i + 1]));
    }
    const auto dir = std::filesystem::temp_directory_path()
        / ("meshscope-bench-ca-" + std::to_string(::getpid()));
    auto ca = CertificateAuthority::openOrCreate(dir, CaSettings {}, meshcore::systemClock());
    if (!ca) {
        std::fprintf(stderr, "bench: %s\n", ca.error().message.c_str());
        return 1;
    }

    std::printf("CA signing benchmark (one thread, OpenSSL %s)\n\n",
                OpenSSL_version(OPENSSL_VERSION_STRING));
    const double peer = rawSignaturesPerSecond();
    std::printf("peer   raw ECDSA P-256 signatures:     %9.0f /s\n", peer);

    // Workload CSRs are made by the proxies; prepare them outside the timed part.
    const SpiffeId identity {"mesh.local", "bench", "web"};
    const auto key = *PrivateKey::generateP256();
    const std::string csr = *createCsrPem(key, identity);
    std::vector<double> latencies;
    latencies.reserve(static_cast<std::size_t>(signings));
    const auto start = Clock::now();
    for (int i = 0; i < signings; ++i) {
        const auto t0 = Clock::now();
        auto issued = (*ca)->issue(csr, identity);
        latencies.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        if (!issued) {
            std::fprintf(stderr, "bench: %s\n", issued.error().message.c_str());
            return 1;
        }
    }
    const double rate = signings / secondsSince(start);
    std::printf("meshd  leaf signings (CSR checked):    %9.0f /s   p50 %.0f us   p99 %.0f us   (%d "
                "signings)\n",
                rate, percentile(latencies, 0.50), percentile(latencies, 0.99), signings);
    std::printf("ratio  meshd / raw signatures:         %9.2f\n\n", rate / peer);

    // Cold start of a fleet: every proxy makes its key and CSR, the CA signs each.
    const auto fleetStart = Clock::now();
    for (int i = 0; i < proxies; ++i) {
        const SpiffeId id {"mesh.local", "bench", "svc-" + std::to_string(i)};
        const auto proxyKey = *PrivateKey::generateP256();
        if (!(*ca)->issue(*createCsrPem(proxyKey, id), id)) {
            std::fprintf(stderr, "bench: issuance failed\n");
            return 1;
        }
    }
    const double fleet = secondsSince(fleetStart);
    std::printf("cold start of %d proxies (key + CSR + signing each): %.0f ms\n", proxies,
                fleet * 1000);

    std::filesystem::remove_all(dir);
    return 0;
}
