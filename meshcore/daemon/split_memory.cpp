#include "daemon/split_memory.h"

#include <algorithm>
#include <system_error>

#include "core/clock.h"
#include "core/service_key.h"
#include "core/state_dir.h"

namespace meshcore::daemon {
namespace {

constexpr std::size_t MaxSplitsFile = 4u << 20;

bool sameService(const RememberedSplit &remembered, const proxy::Destination &destination)
{
    return remembered.service == destination.service && remembered.ns == destination.ns;
}

// The same split, a version at weight 0 being the same as one not named: a version added since
// (which the balancer lists at 0) does not make a remembered split another one.
bool sameSplit(const std::vector<control::BackendWeight> &a,
               const std::vector<control::BackendWeight> &b)
{
    const auto weighted = [](const std::vector<control::BackendWeight> &split) {
        std::vector<control::BackendWeight> out;
        for (const auto &backend : split)
            if (backend.weight > 0)
                out.push_back(backend);
        std::sort(out.begin(), out.end(),
                  [](const auto &x, const auto &y) { return x.version < y.version; });
        return out;
    };
    return weighted(a) == weighted(b);
}

} // namespace

SplitMemory::SplitMemory(const DataPlane &dataPlane, const Clock &clock, std::filesystem::path file,
                         EventSink events)
    : m_dataPlane(dataPlane)
    , m_clock(clock)
    , m_file(std::move(file))
    , m_events(std::move(events))
{
}

std::vector<RememberedSplit> SplitMemory::read()
{
    std::error_code ec;
    if (!std::filesystem::exists(m_file, ec) && !ec)
        return {};
    auto text = readSmallFile(m_file, MaxSplitsFile);
    auto splits = text ? rememberedSplitsFromText(*text) : tl::unexpected(text.error());
    if (splits)
        return std::move(*splits);
    auto aside = m_file;
    aside += ".unreadable";
    std::filesystem::rename(m_file, aside, ec);
    m_events("splits",
             "the splits set at run time (" + m_file.string() + ") could not be read ("
                 + splits.error().message + "); "
                 + (ec ? "it could not be moved aside either (" + ec.message() + ")"
                       : "it was moved to " + aside.string())
                 + ", and every service takes its split from mesh.yaml");
    return {};
}

void SplitMemory::restore()
{
    const auto &config = m_dataPlane.config();
    for (auto &remembered : read()) {
        const auto name = qualifiedName(remembered.service, remembered.ns);
        if (auto why = whyNotRestored(remembered, config)) {
            drop(remembered, *why);
            continue;
        }
        const auto destination = m_dataPlane.findDestination(name);
        if (!destination) {
            drop(remembered, "mesh.yaml no longer has " + name);
            continue;
        }
        if (auto set = destination->balancer->setSplit(remembered.split); !set) {
            drop(remembered, "it no longer applies: " + set.error().message);
            continue;
        }
        m_events(name,
                 "split " + control::splitText(remembered.split) + " (set at run time by "
                     + remembered.by + ") restored after a restart of meshd; mesh.yaml still says "
                     + (remembered.fileSplit.empty() ? std::string("no split")
                                                     : control::splitText(remembered.fileSplit)));
        m_splits.push_back(std::move(remembered));
    }
    save();
}

void SplitMemory::reconcile()
{
    const auto &config = m_dataPlane.config();
    const auto before = m_splits;
    m_splits.clear();
    for (const auto &remembered : before) {
        const auto destination
            = m_dataPlane.findDestination(qualifiedName(remembered.service, remembered.ns));
        if (auto why = whyNotRestored(remembered, config))
            drop(remembered, *why);
        else if (!destination || !sameSplit(destination->balancer->split(), remembered.split))
            drop(remembered, "it no longer applies to the service's versions");
        else
            m_splits.push_back(remembered);
    }
    if (m_splits != before)
        save();
}

void SplitMemory::drop(const RememberedSplit &remembered, const std::string &why)
{
    m_events(qualifiedName(remembered.service, remembered.ns),
             "split " + control::splitText(remembered.split) + " set at run time by "
                 + remembered.by + " is dropped: " + why + "; the split of mesh.yaml is in force");
}

void SplitMemory::remember(const proxy::Destination &destination, const std::string &by)
{
    const auto *service
        = m_dataPlane.config().findService(qualifiedName(destination.service, destination.ns));
    RememberedSplit remembered;
    remembered.service = destination.service;
    remembered.ns = destination.ns;
    remembered.split = destination.balancer->split();
    remembered.fileSplit = service ? service->split : std::vector<control::BackendWeight> {};
    remembered.by = by;
    remembered.setUnix = unixSecondsOf(m_clock.now());
    const auto was = std::find_if(m_splits.begin(), m_splits.end(), [&](const RememberedSplit &r) {
        return sameService(r, destination);
    });
    const bool runtime = setAtRunTime(destination);
    if (was != m_splits.end() && runtime && sameSplit(was->split, remembered.split)
        && was->fileSplit == remembered.fileSplit && !m_saveProblem)
        return; // already remembered (a rollout setting the weight it has)
    if (was == m_splits.end() && !runtime && !m_saveProblem)
        return; // the file's split, and nothing to forget
    if (was != m_splits.end())
        m_splits.erase(was);
    if (runtime)
        m_splits.push_back(std::move(remembered));
    save();
}

bool SplitMemory::setAtRunTime(const proxy::Destination &destination) const
{
    const auto *service
        = m_dataPlane.config().findService(qualifiedName(destination.service, destination.ns));
    return !service || destination.balancer->split() != service->effectiveSplit();
}

bool SplitMemory::persisted(const proxy::Destination &destination) const
{
    if (m_saveProblem)
        return false;
    return std::any_of(m_splits.begin(), m_splits.end(), [&](const RememberedSplit &r) {
        return sameService(r, destination) && sameSplit(r.split, destination.balancer->split());
    });
}

void SplitMemory::save()
{
    std::error_code ec;
    if (m_splits.empty() && !std::filesystem::exists(m_file, ec) && !ec && !m_saveProblem)
        return; // nothing to remember and nothing to forget
    if (auto written = writeFileAtomically(m_file, rememberedSplitsText(m_splits), 0600);
        !written) {
        if (!m_saveProblem) // once per failing spell
            m_events("splits",
                     "the splits set at run time could not be saved (" + written.error().message
                         + "): they hold until meshd stops, then mesh.yaml's splits return");
        m_saveProblem = written.error().message;
        return;
    }
    if (m_saveProblem)
        m_events("splits", "the splits set at run time are saved again");
    m_saveProblem.reset();
}

} // namespace meshcore::daemon
