#pragma once

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <vector>

namespace meshscope::testing {

// Takes every free file descriptor of this process, under a soft limit lowered to `limit`, until
// destroyed (which gives them back and restores the limit): accept() in any thread then fails
// with EMFILE. Open what the test needs (sockets) before.
class DescriptorExhaustion {
public:
    explicit DescriptorExhaustion(rlim_t limit)
    {
        ::getrlimit(RLIMIT_NOFILE, &m_saved);
        const rlimit lowered {limit, m_saved.rlim_max};
        ::setrlimit(RLIMIT_NOFILE, &lowered);
        for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;)
            m_taken.push_back(fd);
    }
    ~DescriptorExhaustion()
    {
        for (const int fd : m_taken)
            ::close(fd);
        ::setrlimit(RLIMIT_NOFILE, &m_saved);
    }
    DescriptorExhaustion(const DescriptorExhaustion &) = delete;
    DescriptorExhaustion &operator=(const DescriptorExhaustion &) = delete;

    // Whether the process is out now (no descriptor could be opened).
    bool exhausted() const
    {
        const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd >= 0)
            ::close(fd);
        return fd < 0 && !m_taken.empty();
    }

private:
    rlimit m_saved {};
    std::vector<int> m_taken;
};

} // namespace meshscope::testing
