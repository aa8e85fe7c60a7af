#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace meshcore {

// The last line of defence of a thread or an event loop. Expected failures are values
// (Result<T>); an exception reaching these is a bug, but one bug must not take the mesh down
// through std::terminate.

// What the exception being handled says, as one log-safe line. Call it inside a catch block.
std::string describeCurrentException();

// Writes "meshd: <where>: unexpected error: <what>" to `log` as one write (threads share it).
void reportUnexpected(std::ostream &log, std::string_view where, std::string_view what);

// Runs `work`; an exception it lets out is reported to `log` and swallowed. False if it threw.
template <typename Work>
bool runReportingExceptions(std::ostream &log, std::string_view where, Work &&work)
{
    try {
        work();
        return true;
    } catch (...) {
        reportUnexpected(log, where, describeCurrentException());
        return false;
    }
}

// Runs an Asio event loop until it returns on its own (stopped, or out of work). A handler that
// throws is reported and the loop goes on: Asio allows run() to be called again after that.
template <typename Loop>
void runLoopReportingExceptions(Loop &loop, std::ostream &log, std::string_view where)
{
    while (!runReportingExceptions(log, where, [&] { loop.run(); })) { }
}

} // namespace meshcore
