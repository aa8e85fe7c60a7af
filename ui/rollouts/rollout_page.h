#pragma once

#include <QWizardPage>

#include "control/rollout_config.h"

class QLabel;
class QVBoxLayout;

namespace meshscope::ui {

// A page of the rollout wizard: it writes its fields into the spec, and says why the spec as
// written so far cannot run (control::rolloutSpecProblem over this page and the ones before it),
// keeping Next or Finish disabled until it can. Thread: GUI.
class RolloutPage : public QWizardPage {
    Q_OBJECT
public:
    RolloutPage(const QString &title, const QString &subtitle, QWidget *parent = nullptr);

    // Writes this page's fields into `spec`.
    virtual void writeTo(meshcore::control::RolloutSpec &spec) const = 0;
    bool isComplete() const override;
    // Why the spec through this page cannot run ("" when it can).
    QString problem() const;

protected:
    // Fields go here, above the line that says what is wrong.
    QVBoxLayout *body() const { return m_body; }
    // Call when a field changed: the page checks the spec again, and the wizard redraws.
    void changed();
    void initializePage() override { changed(); }

private:
    QVBoxLayout *m_body;
    QLabel *m_problem;
};

} // namespace meshscope::ui
