#include "ui/rollouts/rollout_action_bar.h"

#include <QHBoxLayout>
#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>

#include "models/rollout_action_rules.h"
#include "models/rollout_text.h"

namespace meshscope::ui {

using meshcore::rollout::Action;

RolloutActionBar::RolloutActionBar(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (const Action action : models::AllActions) {
        auto *button = new QPushButton(models::actionText(action), this);
        button->setObjectName(
            QStringLiteral("rollout-%1").arg(meshcore::rollout::actionName(action)));
        button->setEnabled(false);
        connect(button, &QPushButton::clicked, this, [this, action] { act(action); });
        layout->addWidget(button);
        m_buttons[action] = button;
    }
    layout->addStretch();
}

QPushButton *RolloutActionBar::button(Action action) const
{
    return m_buttons.at(action);
}

void RolloutActionBar::showRollout(const meshcore::rollout::RolloutStatus *status, bool current)
{
    m_status = status ? std::optional(*status) : std::nullopt;
    for (const auto &[action, button] : m_buttons) {
        const bool applies = status && models::actionApplies(*status, action, current);
        button->setEnabled(applies);
        button->setToolTip(
            !status        ? tr("No rollout selected")
                : !current ? tr("An older rollout of the service: meshd acts on its latest")
                : applies
                ? tr("%1 the rollout of %2")
                      .arg(QString(models::actionText(action)).remove(QStringLiteral("…")),
                           models::rolloutService(*status))
                : tr("Does not apply to a %1 rollout").arg(models::phaseText(status->phase)));
    }
}

void RolloutActionBar::act(Action action)
{
    if (!m_status)
        return;
    const auto status = *m_status; // the dialogs below run the event loop: polls go on
    const QString service = models::rolloutService(status);
    std::optional<unsigned> weight;
    if (action == Action::SetWeight) {
        bool ok = false;
        const int chosen = QInputDialog::getInt(this, tr("Set the Candidate's Weight"),
                                                models::confirmationText(status, action),
                                                static_cast<int>(status.weight), 0, 99, 1, &ok);
        if (!ok)
            return;
        weight = static_cast<unsigned>(chosen);
    } else if (models::changesTraffic(action)) {
        const auto answer = QMessageBox::question(
            this, tr("%1 the Rollout?").arg(QString(models::actionText(action)).remove("…")),
            models::confirmationText(status, action), QMessageBox::Yes | QMessageBox::Cancel,
            QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return;
    }
    // NOLINTNEXTLINE(readability-misleading-indentation): Q_EMIT expands to nothing
    Q_EMIT actionRequested(service, action, weight);
}

} // namespace meshscope::ui
