#include "ui/rollouts/rollout_page.h"

#include <QLabel>
#include <QVBoxLayout>

#include "ui/colour_scheme.h"
#include "ui/rollouts/rollout_wizard.h"

namespace meshscope::ui {

RolloutPage::RolloutPage(const QString &title, const QString &subtitle, QWidget *parent)
    : QWizardPage(parent)
    , m_body(new QVBoxLayout)
    , m_problem(new QLabel(this))
{
    setTitle(title);
    setSubTitle(subtitle);
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_problem->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_body);
    layout->addStretch();
    layout->addWidget(m_problem);
}

QString RolloutPage::problem() const
{
    const auto *rollout = qobject_cast<const RolloutWizard *>(wizard());
    if (!rollout)
        return {};
    const auto problem = meshcore::control::rolloutSpecProblem(rollout->specThrough(this));
    return problem ? QString::fromStdString(*problem) : QString();
}

bool RolloutPage::isComplete() const
{
    return problem().isEmpty();
}

void RolloutPage::changed()
{
    const QString why = problem();
    QPalette palette = m_problem->palette();
    palette.setColor(QPalette::WindowText, colours::health(models::Health::Failing));
    m_problem->setPalette(palette);
    // rolloutSpecProblem's sentences start in lower case: they read after "Cannot start: ".
    m_problem->setText(tr("<b>Cannot start:</b> %1.").arg(why.toHtmlEscaped()));
    m_problem->setVisible(!why.isEmpty());
    Q_EMIT completeChanged();
    if (auto *rollout = qobject_cast<RolloutWizard *>(wizard()))
        Q_EMIT rollout->specChanged();
}

} // namespace meshscope::ui
