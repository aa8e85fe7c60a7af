#include "core/last_resort.h"

#include <exception>

#include "core/utf8.h"

namespace meshcore {

std::string describeCurrentException()
{
    try {
        throw;
    } catch (const std::exception &e) {
        return logSafe(e.what());
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

void reportUnexpected(std::ostream &log, std::string_view where, std::string_view what)
{
    const std::string line
        = "meshd: " + std::string(where) + ": unexpected error: " + std::string(what) + "\n";
    log.write(line.data(), static_cast<std::streamsize>(line.size()));
    log.flush();
}

} // namespace meshcore
