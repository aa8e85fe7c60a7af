#include "ca/certificate.h"

#include <ctime>

#include <openssl/pem.h>

#include "ca/openssl_handles.h"

namespace meshcore::ca {

Certificate Certificate::adopt(X509 *x509)
{
    return Certificate(std::shared_ptr<X509>(x509, X509_free));
}

Result<Certificate> Certificate::fromPem(std::string_view pem)
{
    auto all = parsePemCertificates(pem, "certificate");
    if (!all)
        return tl::unexpected(all.error());
    if (all->size() != 1)
        return makeError(ErrorCode::InvalidArgument,
                         "expected one certificate, found " + std::to_string(all->size()));
    return all->front();
}

std::string Certificate::toPem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), m_x509.get());
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(length));
}

std::string Certificate::subjectCommonName() const
{
    char buffer[256] = {};
    const int n = X509_NAME_get_text_by_NID(X509_get_subject_name(m_x509.get()), NID_commonName,
                                            buffer, sizeof buffer);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
}

std::string Certificate::serialHex() const
{
    BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(m_x509.get()), nullptr));
    if (!bn)
        return {};
    char *hex = BN_bn2hex(bn.get());
    std::string out(hex);
    OPENSSL_free(hex);
    for (auto &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

TimePoint fromAsn1Time(const ASN1_TIME *time)
{
    std::tm tm {};
    if (!time || ASN1_TIME_to_tm(time, &tm) != 1)
        return TimePoint {};
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

TimePoint Certificate::notBefore() const
{
    return fromAsn1Time(X509_get0_notBefore(m_x509.get()));
}

TimePoint Certificate::notAfter() const
{
    return fromAsn1Time(X509_get0_notAfter(m_x509.get()));
}

std::vector<std::string> Certificate::allSans() const
{
    std::vector<std::string> out;
    GeneralNamesPtr names(static_cast<GENERAL_NAMES *>(
        X509_get_ext_d2i(m_x509.get(), NID_subject_alt_name, nullptr, nullptr)));
    if (!names)
        return out;
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(names.get(), i);
        const auto text = [](const ASN1_IA5STRING *s) {
            return std::string(reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)),
                               static_cast<std::size_t>(ASN1_STRING_length(s)));
        };
        switch (name->type) {
        case GEN_URI:
            out.push_back("URI:" + text(name->d.uniformResourceIdentifier));
            break;
        case GEN_DNS:
            out.push_back("DNS:" + text(name->d.dNSName));
            break;
        case GEN_EMAIL:
            out.push_back("email:" + text(name->d.rfc822Name));
            break;
        case GEN_IPADD:
            out.push_back("IP");
            break;
        default:
            out.push_back("other");
            break;
        }
    }
    return out;
}

std::vector<std::string> Certificate::uriSans() const
{
    std::vector<std::string> out;
    for (const auto &san : allSans())
        if (san.starts_with("URI:"))
            out.push_back(san.substr(4));
    return out;
}

std::string Certificate::identity() const
{
    const auto uris = uriSans();
    return uris.size() == 1 ? uris.front() : std::string();
}

bool Certificate::isCa() const
{
    return X509_check_ca(m_x509.get()) > 0;
}

bool Certificate::isSelfSigned() const
{
    return X509_self_signed(m_x509.get(), 0) == 1;
}

bool Certificate::sameAs(const Certificate &other) const
{
    return X509_cmp(m_x509.get(), other.m_x509.get()) == 0;
}

Result<std::vector<Certificate>> parsePemCertificates(std::string_view pem, std::string_view source)
{
    // Normalise line ends and trailing blanks first, so CRLF files and editors' whitespace load.
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= pem.size()) {
        auto end = pem.find('\n', start);
        if (end == std::string_view::npos)
            end = pem.size();
        std::string line(pem.substr(start, end - start));
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.pop_back();
        std::size_t lead = 0;
        while (lead < line.size() && (line[lead] == ' ' || line[lead] == '\t'))
            ++lead;
        lines.push_back(line.substr(lead));
        start = end + 1;
    }

    const std::string where(source);
    std::vector<Certificate> out;
    std::size_t i = 0;
    while (i < lines.size()) {
        const std::string &line = lines[i];
        if (!line.starts_with("-----BEGIN ")) {
            ++i;
            continue;
        }
        const std::size_t beginLine = i + 1;
        if (line != "-----BEGIN CERTIFICATE-----")
            return makeError(ErrorCode::InvalidArgument,
                             where + ":" + std::to_string(beginLine) + ": '" + line
                                 + "' found; only CERTIFICATE blocks belong here");
        std::string block = line + "\n";
        ++i;
        bool ended = false;
        for (; i < lines.size(); ++i) {
            if (lines[i].starts_with("-----BEGIN "))
                break;
            block += lines[i] + "\n";
            if (lines[i] == "-----END CERTIFICATE-----") {
                ended = true;
                ++i;
                break;
            }
        }
        if (!ended)
            return makeError(ErrorCode::InvalidArgument,
                             where + ":" + std::to_string(beginLine) + ": certificate "
                                 + std::to_string(out.size() + 1) + " has no END line");
        BioPtr bio(BIO_new_mem_buf(block.data(), static_cast<int>(block.size())));
        X509 *x509 = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
        if (!x509)
            return makeError(ErrorCode::InvalidArgument,
                             where + ":" + std::to_string(beginLine) + ": certificate "
                                 + std::to_string(out.size() + 1) + " is damaged ("
                                 + takeOpenSslError("cannot decode") + ")");
        out.push_back(Certificate::adopt(x509));
    }
    return out;
}

Result<std::vector<Certificate>> parseTrustBundle(std::string_view pem, std::string_view source)
{
    auto certificates = parsePemCertificates(pem, source);
    if (!certificates)
        return certificates;
    if (certificates->empty())
        return makeError(ErrorCode::InvalidArgument,
                         std::string(source)
                             + ": no certificate found; a trust bundle needs at least one");
    for (std::size_t i = 0; i < certificates->size(); ++i) {
        const auto &c = (*certificates)[i];
        if (!c.isCa())
            return makeError(ErrorCode::InvalidArgument,
                             std::string(source) + ": certificate " + std::to_string(i + 1) + " ("
                                 + (c.identity().empty() ? c.subjectCommonName() : c.identity())
                                 + ") is not a CA certificate and cannot be a trust anchor");
    }
    return certificates;
}

std::string toPem(const std::vector<Certificate> &certificates)
{
    std::string out;
    for (const auto &c : certificates)
        out += c.toPem();
    return out;
}

} // namespace meshcore::ca
