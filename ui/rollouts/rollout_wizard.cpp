#include "ui/rollouts/rollout_wizard.h"

#include <algorithm>

namespace meshscope::ui {

RolloutWizard::RolloutWizard(std::vector<RolloutTarget> targets, const QString &service,
                             QWidget *parent)
    : QWizard(parent)
    , m_strategy(new StrategyPage(this))
    , m_traffic(new TrafficPage(this))
    , m_review(new ReviewPage(this))
{
    setWindowTitle(tr("Start a Rollout"));
    setObjectName(QStringLiteral("RolloutWizard"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    m_pages = {new TargetPage(std::move(targets), service, this), m_strategy,
               new AnalysisPage(this), m_traffic, m_review};
    for (std::size_t i = 0; i < m_pages.size(); ++i)
        setPage(static_cast<int>(i), m_pages[i]);
    connect(m_strategy, &StrategyPage::strategyPicked, m_traffic, &TrafficPage::suggestFor);
    connect(this, &RolloutWizard::specChanged, this, [this] {
        m_strategy->showPlan(specThrough(m_strategy));
        m_review->showPlan(spec());
    });
    resize(760, 640);
}

RolloutPage *RolloutWizard::rolloutPage(Page page) const
{
    return m_pages[static_cast<std::size_t>(page)];
}

meshcore::control::RolloutSpec RolloutWizard::specThrough(const RolloutPage *last) const
{
    meshcore::control::RolloutSpec spec;
    bool reachedTraffic = false;
    for (const auto *page : m_pages) {
        page->writeTo(spec);
        reachedTraffic = reachedTraffic || page == m_traffic;
        if (page == last)
            break;
    }
    if (!reachedTraffic && spec.strategy == meshcore::control::RolloutStrategy::BlueGreen)
        spec.traffic.enabled = true; // the traffic page, still to come, switches it on
    return spec;
}

void RolloutWizard::accept()
{
    if (m_waiting || meshcore::control::rolloutSpecProblem(spec()))
        return;
    m_waiting = true;
    m_review->setWaiting(true);
    Q_EMIT startRequested(spec());
}

void RolloutWizard::startAnswered(bool ok, const QString &message)
{
    if (!m_waiting)
        return;
    m_waiting = false;
    m_review->setWaiting(false);
    if (ok)
        QWizard::accept();
    else
        m_review->setRefusal(message);
}

} // namespace meshscope::ui
