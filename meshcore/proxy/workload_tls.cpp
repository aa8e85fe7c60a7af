#include "proxy/workload_tls.h"

namespace meshcore::proxy {

std::shared_ptr<boost::asio::ssl::context> WorkloadTls::server() const
{
    std::lock_guard lock(m_mutex);
    return m_server;
}

std::shared_ptr<boost::asio::ssl::context> WorkloadTls::client() const
{
    std::lock_guard lock(m_mutex);
    return m_client;
}

void WorkloadTls::replace(std::shared_ptr<boost::asio::ssl::context> server,
                          std::shared_ptr<boost::asio::ssl::context> client)
{
    std::lock_guard lock(m_mutex);
    m_server = std::move(server);
    m_client = std::move(client);
}

} // namespace meshcore::proxy
