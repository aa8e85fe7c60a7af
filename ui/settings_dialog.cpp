#include "ui/settings_dialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/colour_scheme.h"

namespace meshscope::ui {

SettingsDialog::SettingsDialog(const QString &address, const QString &stateDir,
                               const models::HealthThresholds &thresholds, QWidget *parent)
    : QDialog(parent)
    , m_address(new QLineEdit(address, this))
    , m_stateDir(new QLineEdit(stateDir, this))
    , m_warn(new QDoubleSpinBox(this))
    , m_fail(new QDoubleSpinBox(this))
    , m_problem(new QLabel(this))
{
    setWindowTitle(tr("Settings"));
    m_address->setToolTip(tr("meshd's admin API: host:port on loopback, e.g. 127.0.0.1:4191"));
    m_stateDir->setToolTip(tr("meshd's state directory, where Meshscope reads the admin token"));
    for (auto *box : {m_warn, m_fail}) {
        box->setRange(0, 100);
        box->setDecimals(2);
        box->setSuffix(QStringLiteral(" %"));
    }
    m_warn->setValue(thresholds.warnBelow * 100);
    m_fail->setValue(thresholds.failBelow * 100);
    m_warn->setToolTip(tr("A service or edge turns orange when its success rate is below this"));
    m_fail->setToolTip(tr("A service or edge turns red when its success rate is below this"));
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("meshd's state directory"),
                                                              m_stateDir->text());
        if (!dir.isEmpty())
            m_stateDir->setText(dir);
    });
    auto *stateRow = new QHBoxLayout;
    stateRow->addWidget(m_stateDir);
    stateRow->addWidget(browse);
    auto *form = new QFormLayout;
    form->addRow(tr("meshd address:"), m_address);
    form->addRow(tr("State directory:"), stateRow);
    form->addRow(tr("Warning below:"), m_warn);
    form->addRow(tr("Failing below:"), m_fail);
    m_problem->setWordWrap(true);
    QPalette red = m_problem->palette();
    red.setColor(QPalette::WindowText, colours::health(models::Health::Failing));
    m_problem->setPalette(red);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
}

QString SettingsDialog::stateDir() const
{
    return m_stateDir->text().trimmed();
}

models::HealthThresholds SettingsDialog::thresholds() const
{
    return {m_warn->value() / 100, m_fail->value() / 100};
}

void SettingsDialog::accept()
{
    const auto parsed = meshcore::parseAddress(m_address->text().trimmed().toStdString());
    if (!parsed) {
        m_problem->setText(QString::fromStdString(parsed.error().message));
        return;
    }
    if (!parsed->isLoopback()) {
        m_problem->setText(tr("meshd's admin API only listens on loopback (127.0.0.1 or ::1)."));
        return;
    }
    if (m_fail->value() > m_warn->value()) {
        m_problem->setText(tr("'Failing below' must not be above 'Warning below'."));
        return;
    }
    if (stateDir().isEmpty()) {
        m_problem->setText(
            tr("Give meshd's state directory: Meshscope reads the admin token there."));
        return;
    }
    m_parsed = *parsed;
    QDialog::accept();
}

} // namespace meshscope::ui
