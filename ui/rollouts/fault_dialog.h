#pragma once

#include <QDialog>

#include <optional>

#include "admin/api_types.h"

class QDoubleSpinBox;
class QSpinBox;

namespace meshscope::ui {

// Breaks one version on purpose, as a demo or a rehearsal does: a share of its requests answered
// with an error status by its own inbound proxies, a share delayed. Accepted with Apply (the
// fault to set) or Heal (none: clear it). Thread: GUI.
class FaultDialog : public QDialog {
    Q_OBJECT
public:
    // `current`: the version's fault in force, if any (the fields start from it).
    FaultDialog(const QString &service, const QString &version,
                const std::optional<meshcore::admin::FaultSpec> &current,
                QWidget *parent = nullptr);

    // After exec(): the fault to set, or nothing to clear it.
    std::optional<meshcore::admin::FaultSpec> fault() const { return m_fault; }

private:
    QDoubleSpinBox *m_abortPercent;
    QSpinBox *m_abortStatus;
    QDoubleSpinBox *m_delayPercent;
    QSpinBox *m_delayMs;
    std::optional<meshcore::admin::FaultSpec> m_fault;
};

} // namespace meshscope::ui
