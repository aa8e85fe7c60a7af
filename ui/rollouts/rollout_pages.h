#pragma once

// The pages of the rollout wizard, in order: what to roll out, how, the analysis, the analysis
// traffic, and the review. Each page's fields have object names (the spec's member names) so
// tests fill them as a user does.

#include <QStringList>

#include <vector>

#include "ui/rollouts/rollout_page.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace meshscope::ui {

class StepChart;

// A service that can be rolled out: it has two versions or more.
struct RolloutTarget {
    QString key; // "recommendations.shop"
    QString name;
    QString ns;
    QStringList versions;
};

class TargetPage : public RolloutPage {
    Q_OBJECT
public:
    TargetPage(std::vector<RolloutTarget> targets, const QString &service,
               QWidget *parent = nullptr);
    void writeTo(meshcore::control::RolloutSpec &spec) const override;

private:
    void showVersions();
    std::vector<RolloutTarget> m_targets;
    QComboBox *m_service;
    QComboBox *m_stable;
    QComboBox *m_candidate;
};

class StrategyPage : public RolloutPage {
    Q_OBJECT
public:
    explicit StrategyPage(QWidget *parent = nullptr);
    void writeTo(meshcore::control::RolloutSpec &spec) const override;
    meshcore::control::RolloutStrategy strategy() const;
    // The plan drawn for the spec as the wizard has it now.
    void showPlan(const meshcore::control::RolloutSpec &spec);

Q_SIGNALS:
    void strategyPicked(meshcore::control::RolloutStrategy strategy);

private:
    QWidget *strategyChoice();
    QWidget *stepFields();
    void showStrategy();
    QRadioButton *m_canary;
    QRadioButton *m_blueGreen;
    QRadioButton *m_ab;
    QSpinBox *m_step;
    QSpinBox *m_max;
    QSpinBox *m_iterations;
    QSpinBox *m_interval;
    QComboBox *m_matchKind;
    QLineEdit *m_matchName;
    QLineEdit *m_matchValue;
    QWidget *m_canaryFields = nullptr;
    QWidget *m_matchFields = nullptr;
    StepChart *m_chart;
    QLabel *m_duration;
};

class AnalysisPage : public RolloutPage {
    Q_OBJECT
public:
    explicit AnalysisPage(QWidget *parent = nullptr);
    void writeTo(meshcore::control::RolloutSpec &spec) const override;

private:
    QWidget *relativeChecks();
    QDoubleSpinBox *m_minSuccess;
    QCheckBox *m_p99On;
    QDoubleSpinBox *m_maxP99;
    QSpinBox *m_minRequests;
    QCheckBox *m_dropOn;
    QDoubleSpinBox *m_maxDrop;
    QCheckBox *m_ratioOn;
    QDoubleSpinBox *m_maxRatio;
    QSpinBox *m_failures;
    QSpinBox *m_maxHold;
};

class TrafficPage : public RolloutPage {
    Q_OBJECT
public:
    explicit TrafficPage(QWidget *parent = nullptr);
    void writeTo(meshcore::control::RolloutSpec &spec) const override;
    // Blue/green needs analysis traffic: picking it switches the traffic on.
    void suggestFor(meshcore::control::RolloutStrategy strategy);

private:
    QCheckBox *m_enabled;
    QCheckBox *m_whenIdle;
    QDoubleSpinBox *m_rps;
    QLineEdit *m_paths;
};

class ReviewPage : public RolloutPage {
    Q_OBJECT
public:
    explicit ReviewPage(QWidget *parent = nullptr);
    void writeTo(meshcore::control::RolloutSpec &) const override { }
    bool isComplete() const override;
    void showPlan(const meshcore::control::RolloutSpec &spec);
    // While meshd is asked to start it; then what it answered ("" when it started).
    void setWaiting(bool waiting);
    void setRefusal(const QString &sentence);
    QString planText() const;

private:
    QLabel *m_plan;
    StepChart *m_chart;
    QLabel *m_answer;
    bool m_waiting = false;
};

} // namespace meshscope::ui
