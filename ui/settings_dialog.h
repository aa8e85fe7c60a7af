#pragma once

#include <QDialog>

#include "core/address.h"
#include "models/health.h"

class QDoubleSpinBox;
class QLabel;
class QLineEdit;

namespace meshscope::ui {

// Where meshd is (its admin address and state directory, for the token) and where health turns
// orange and red. Refuses an address that is not a loopback host:port, saying why.
// Thread: GUI.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(const QString &address, const QString &stateDir,
                   const models::HealthThresholds &thresholds, QWidget *parent = nullptr);

    meshcore::Address address() const { return m_parsed; }
    QString stateDir() const;
    models::HealthThresholds thresholds() const;

    void accept() override;

private:
    QLineEdit *m_address;
    QLineEdit *m_stateDir;
    QDoubleSpinBox *m_warn;
    QDoubleSpinBox *m_fail;
    QLabel *m_problem;
    meshcore::Address m_parsed;
};

} // namespace meshscope::ui
