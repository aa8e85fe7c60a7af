#include "proxy/errno_name.h"

#include <cerrno>
#include <cstring>

#include <boost/beast/core/error.hpp>

namespace meshcore::proxy {

std::string errnoName(const boost::system::error_code &ec)
{
    if (ec == boost::beast::error::timeout)
        return "ETIMEDOUT";
    if (!ec || ec.category() != boost::system::system_category())
        return {};
    const char *name = strerrorname_np(ec.value()); // glibc 2.32
    return name ? name : "E" + std::to_string(ec.value());
}

} // namespace meshcore::proxy
