#pragma once

#include <QWidget>

#include <optional>

#include "models/mesh_snapshot.h"
#include "rollout/rollout.h"

class QLabel;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableView;
class TestRollouts;

namespace meshscope::models {
class ExplorerModels;
} // namespace meshscope::models

namespace meshscope::ui {

class IntervalChart;
class RolloutActionBar;
class StepChart;

// The Rollouts tab: the rollout the models point at (ExplorerModels::selectedRollout), live.
// A header says what it rolls out, its state and why; a button for every manual action; the
// weight over time and the candidate's against stable's success rate and p99 per interval, with
// the thresholds drawn; the interval-by-interval checks, its events, and every rollout meshd
// keeps (the history; picking one shows it). Thread: GUI.
class RolloutCockpit : public QWidget {
    Q_OBJECT
public:
    explicit RolloutCockpit(models::ExplorerModels *models, QWidget *parent = nullptr);

    // meshd's answer to an action from here or the wizard ("rollout-pause", ...).
    void showAnswer(const QString &action, bool ok, const QString &message);
    // "Rollouts (1 active)": the tab's title.
    QString title() const;
    RolloutActionBar *actionBar() const { return m_actions; }

Q_SIGNALS:
    void actionRequested(const QString &service, meshcore::rollout::Action action,
                         std::optional<unsigned> weight);
    // The Start button: the wizard, for `service` ("" for the selected one).
    void startRequested(const QString &service);
    // The Break button: a runtime fault on the candidate, or none (heal it).
    void faultRequested(const QString &service, const QString &version,
                        const std::optional<meshcore::admin::FaultSpec> &fault);

private:
    friend class ::TestRollouts;
    QWidget *header();
    QWidget *charts();
    QTabWidget *tables();
    void showRollout();
    void showHeader(const meshcore::rollout::RolloutStatus &status, bool current);
    void showCharts(const meshcore::rollout::RolloutStatus &status);
    // The candidate's runtime fault in force, if any.
    const meshcore::admin::VersionFault *faultOf(const meshcore::rollout::RolloutStatus &s) const;
    void breakCandidate();

    models::ExplorerModels *m_models;
    QStackedWidget *m_stack;
    QLabel *m_title;
    QLabel *m_state;
    QLabel *m_plan;
    QLabel *m_reason;
    QLabel *m_answer;
    RolloutActionBar *m_actions;
    QPushButton *m_start;
    QPushButton *m_fault; // break (or heal) the candidate on purpose
    std::vector<meshcore::admin::VersionFault> m_faults; // of the last poll
    StepChart *m_weight;
    IntervalChart *m_success;
    IntervalChart *m_p99;
    QTableView *m_history;
};

} // namespace meshscope::ui
