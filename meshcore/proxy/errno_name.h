#pragma once

// The errno name of a socket error, as Linkerd labels closed connections (tcp_close_total's
// `errno`). Internal to proxy/.

#include <string>

#include <boost/system/error_code.hpp>

namespace meshcore::proxy {

// "ECONNREFUSED", "ECONNRESET"...; "ETIMEDOUT" for a Beast stream's timeout; empty for no error
// and for errors that are not the system's (an end of stream, TLS).
std::string errnoName(const boost::system::error_code &ec);

} // namespace meshcore::proxy
