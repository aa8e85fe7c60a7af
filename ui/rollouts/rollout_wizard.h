#pragma once

#include <QWizard>

#include <vector>

#include "control/rollout_config.h"
#include "ui/rollouts/rollout_pages.h"

namespace meshscope::ui {

// Starts a rollout: what to roll out, how (canary, blue/green, A/B, steps, interval), the
// analysis, the analysis traffic, then a review that says in sentences what will happen. Each
// page keeps Next disabled, saying why, while the spec so far cannot run. Finish asks meshd
// (startRequested) and waits: the wizard closes when meshd started it, and shows meshd's sentence
// when it refused. Thread: GUI.
class RolloutWizard : public QWizard {
    Q_OBJECT
public:
    enum Page { Target, Strategy, Analysis, Traffic, Review };
    RolloutWizard(std::vector<RolloutTarget> targets, const QString &service,
                  QWidget *parent = nullptr);

    // The spec as every page has it now.
    meshcore::control::RolloutSpec spec() const { return specThrough(nullptr); }
    // The spec through `last` (every page when null); later pages keep what does not stop the
    // earlier ones (a blue/green rollout's analysis traffic, still to be set, counts as on).
    meshcore::control::RolloutSpec specThrough(const RolloutPage *last) const;
    RolloutPage *rolloutPage(Page page) const;
    ReviewPage *review() const { return m_review; }

    // meshd's answer to startRequested.
    void startAnswered(bool ok, const QString &message);
    void accept() override;

Q_SIGNALS:
    void startRequested(const meshcore::control::RolloutSpec &spec);
    // A field changed on some page.
    void specChanged();

private:
    std::vector<RolloutPage *> m_pages;
    StrategyPage *m_strategy;
    TrafficPage *m_traffic;
    ReviewPage *m_review;
    bool m_waiting = false;
};

} // namespace meshscope::ui
