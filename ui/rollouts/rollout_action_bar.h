#pragma once

#include <QWidget>

#include <map>
#include <optional>

#include "rollout/rollout.h"
#include "rollout/rollout_status.h"

class QPushButton;

namespace meshscope::ui {

// A button for every manual action on a rollout (pause, resume, promote, skip, set weight,
// abort, retry), each enabled only when meshd would take it. The ones that move traffic ask
// first (set weight asks for the weight in the same dialog); then actionRequested. Thread: GUI.
class RolloutActionBar : public QWidget {
    Q_OBJECT
public:
    explicit RolloutActionBar(QWidget *parent = nullptr);

    // The rollout the buttons act on (null: none); `current`: meshd acts on it.
    void showRollout(const meshcore::rollout::RolloutStatus *status, bool current);
    QPushButton *button(meshcore::rollout::Action action) const;

Q_SIGNALS:
    void actionRequested(const QString &service, meshcore::rollout::Action action,
                         std::optional<unsigned> weight);

private:
    void act(meshcore::rollout::Action action);

    std::map<meshcore::rollout::Action, QPushButton *> m_buttons;
    std::optional<meshcore::rollout::RolloutStatus> m_status;
};

} // namespace meshscope::ui
