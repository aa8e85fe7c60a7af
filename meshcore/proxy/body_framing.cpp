#include "proxy/body_framing.h"

#include <algorithm>

#include "proxy/http_chars.h"

namespace meshcore::proxy {
namespace {

constexpr std::size_t MaxSizeDigits = 16; // 64 bits

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// What the part of a size line seen so far says, before its end: nothing yet, or a problem.
std::string sizePrefixProblem(std::string_view seen)
{
    std::size_t digits = 0;
    std::size_t zeros = 0; // leading ones carry no value: only the others can overflow
    while (digits < seen.size() && hexValue(seen[digits]) >= 0) {
        if (zeros == digits && seen[digits] == '0')
            ++zeros;
        ++digits;
    }
    if (digits - zeros > MaxSizeDigits)
        return "chunk size over 16 hex digits";
    if (digits == seen.size())
        return {};
    const char next = seen[digits];
    if (digits == 0 && next != '\r')
        return "chunk size does not start with a hex digit";
    if (digits == 0)
        return "empty chunk size";
    if (next != ';' && next != ' ' && next != '\t' && next != '\r')
        return "chunk size followed by '" + std::string(1, next) + "'";
    return {};
}

} // namespace

std::size_t crlfLineEnd(std::string_view input)
{
    const auto at = input.find_first_of("\r\n");
    if (at == std::string_view::npos)
        return 0;
    if (input[at] == '\n')
        return std::string_view::npos; // a bare LF
    if (at + 1 == input.size())
        return 0;
    return input[at + 1] == '\n' ? at + 2 : std::string_view::npos;
}

BodyReader::BodyReader(BodyFraming framing)
    : m_framing(framing)
{
    switch (framing.kind) {
    case BodyFraming::None:
        m_state = State::Done;
        break;
    case BodyFraming::Length:
        m_remaining = framing.length;
        m_state = framing.length == 0 ? State::Done : State::Data;
        break;
    case BodyFraming::Chunked:
        m_state = State::SizeLine;
        break;
    case BodyFraming::UntilClose:
        m_state = State::Data;
        break;
    }
}

std::size_t BodyReader::take(std::string_view input, std::string_view &data)
{
    data = {};
    if (input.empty())
        return 0;
    switch (m_state) {
    case State::Data:
        return takeData(input, data);
    case State::SizeLine:
        return takeSizeLine(input);
    case State::DataEnd:
        return takeDataEnd(input);
    case State::Trailer:
        return takeTrailerLine(input);
    case State::Done:
    case State::Failed:
        break;
    }
    return 0;
}

bool BodyReader::finishAtEnd()
{
    if (m_state == State::Data && m_framing.kind == BodyFraming::UntilClose)
        m_state = State::Done;
    if (m_state == State::Done)
        return true;
    if (m_state != State::Failed) {
        if (m_framing.kind == BodyFraming::Length)
            fail("the body ended after " + std::to_string(m_payload) + " of "
                 + std::to_string(m_framing.length) + " bytes");
        else
            fail("the chunked body ended before its last chunk (" + std::to_string(m_payload)
                 + " bytes in)");
    }
    return false;
}

std::size_t BodyReader::takeData(std::string_view input, std::string_view &data)
{
    std::size_t n = input.size();
    if (m_framing.kind != BodyFraming::UntilClose) {
        n = static_cast<std::size_t>(std::min<std::uint64_t>(m_remaining, n));
        m_remaining -= n;
        if (m_remaining == 0)
            m_state = m_framing.kind == BodyFraming::Chunked ? State::DataEnd : State::Done;
    }
    m_payload += n;
    data = input.substr(0, n);
    return n;
}

std::size_t BodyReader::takeSizeLine(std::string_view input)
{
    const auto window = input.substr(0, MaxLineBytes + 2);
    const std::size_t end = crlfLineEnd(window);
    if (end == std::string_view::npos)
        return fail("chunk size line not ended by CRLF");
    if (end == 0) {
        if (auto problem = sizePrefixProblem(window); !problem.empty())
            return fail(std::move(problem));
        if (window.size() > MaxLineBytes)
            return fail("chunk size line over " + std::to_string(MaxLineBytes) + " bytes");
        return 0;
    }
    const auto line = window.substr(0, end - 2);
    if (auto problem = sizePrefixProblem(line); !problem.empty())
        return fail(std::move(problem));
    std::size_t digits = 0;
    std::uint64_t size = 0;
    for (; digits < line.size() && hexValue(line[digits]) >= 0; ++digits)
        size = size << 4 | static_cast<std::uint64_t>(hexValue(line[digits]));
    if (digits == 0)
        return fail("empty chunk size");
    auto rest = line.substr(digits);
    rest.remove_prefix(std::min(rest.find_first_not_of(" \t"), rest.size()));
    if (!rest.empty() && rest.front() != ';')
        return fail("chunk size followed by '" + std::string(1, rest.front()) + "'");
    if (!std::all_of(rest.begin(), rest.end(), isTextChar))
        return fail("control character in a chunk extension");
    if (size == 0) {
        m_state = State::Trailer;
    } else {
        m_remaining = size;
        m_state = State::Data;
    }
    return end;
}

std::size_t BodyReader::takeDataEnd(std::string_view input)
{
    if (input[0] != '\r' || (input.size() > 1 && input[1] != '\n'))
        return fail("chunk data longer than its size (no CRLF after it)");
    if (input.size() < 2)
        return 0;
    m_state = State::SizeLine;
    return 2;
}

std::size_t BodyReader::takeTrailerLine(std::string_view input)
{
    const auto window = input.substr(0, MaxTrailerBytes - m_trailerBytes + 2);
    const std::size_t end = crlfLineEnd(window);
    if (end == std::string_view::npos)
        return fail("trailer line not ended by CRLF");
    if (end == 0) {
        if (m_trailerBytes + window.size() > MaxTrailerBytes)
            return fail("trailer section over " + std::to_string(MaxTrailerBytes / 1024) + " KiB");
        return 0;
    }
    if (end == 2) {
        m_state = State::Done;
        return 2;
    }
    const auto line = window.substr(0, end - 2);
    const auto colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos
        || !std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon),
                        isTokenChar))
        return fail("malformed trailer field");
    if (!std::all_of(line.begin() + static_cast<std::ptrdiff_t>(colon) + 1, line.end(), isTextChar))
        return fail("control character in a trailer field");
    m_trailerBytes += end;
    if (m_trailerBytes > MaxTrailerBytes)
        return fail("trailer section over " + std::to_string(MaxTrailerBytes / 1024) + " KiB");
    return end;
}

std::size_t BodyReader::fail(std::string problem)
{
    m_state = State::Failed;
    m_problem = std::move(problem);
    return 0;
}

} // namespace meshcore::proxy
