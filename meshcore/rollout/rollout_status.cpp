#include "rollout/rollout_status.h"

#include "core/service_key.h"

namespace meshcore::rollout {
namespace {

constexpr Phase AllPhases[] = {Phase::Progressing, Phase::Paused,     Phase::Promoting,
                               Phase::Succeeded,   Phase::RolledBack, Phase::Aborted};
constexpr Verdict AllVerdicts[] = {Verdict::Pass, Verdict::Fail, Verdict::Hold, Verdict::Skipped};

} // namespace

const char *phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Progressing:
        return "progressing";
    case Phase::Paused:
        return "paused";
    case Phase::Promoting:
        return "promoting";
    case Phase::Succeeded:
        return "succeeded";
    case Phase::RolledBack:
        return "rolled-back";
    case Phase::Aborted:
        return "aborted";
    }
    return "progressing";
}

std::optional<Phase> phaseFromName(std::string_view name)
{
    for (const auto phase : AllPhases)
        if (name == phaseName(phase))
            return phase;
    return std::nullopt;
}

bool isActive(Phase phase)
{
    return phase == Phase::Progressing || phase == Phase::Paused || phase == Phase::Promoting;
}

const char *verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Pass:
        return "pass";
    case Verdict::Fail:
        return "fail";
    case Verdict::Hold:
        return "hold";
    case Verdict::Skipped:
        return "skipped";
    }
    return "hold";
}

std::optional<Verdict> verdictFromName(std::string_view name)
{
    for (const auto verdict : AllVerdicts)
        if (name == verdictName(verdict))
            return verdict;
    return std::nullopt;
}

std::string RolloutStatus::name() const
{
    return qualifiedName(spec.service, spec.ns);
}

} // namespace meshcore::rollout
