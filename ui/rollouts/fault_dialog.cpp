#include "ui/rollouts/fault_dialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace meshscope::ui {
namespace {

QDoubleSpinBox *percentBox(double value, QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(0, 100);
    box->setDecimals(1);
    box->setSuffix(QStringLiteral(" %"));
    box->setValue(value);
    return box;
}

} // namespace

FaultDialog::FaultDialog(const QString &service, const QString &version,
                         const std::optional<meshcore::admin::FaultSpec> &current, QWidget *parent)
    : QDialog(parent)
    , m_abortPercent(percentBox(current ? current->abortPercent : 50, this))
    , m_abortStatus(new QSpinBox(this))
    , m_delayPercent(percentBox(current ? current->delayPercent : 0, this))
    , m_delayMs(new QSpinBox(this))
{
    setWindowTitle(tr("Break %1 of %2").arg(version, service));
    setObjectName(QStringLiteral("faultDialog"));
    m_abortStatus->setRange(400, 599);
    m_abortStatus->setValue(current ? static_cast<int>(current->abortStatus) : 503);
    m_delayMs->setRange(0, 60000);
    m_delayMs->setSuffix(QStringLiteral(" ms"));
    m_delayMs->setValue(current ? static_cast<int>(current->delayMs) : 300);
    auto *intro = new QLabel(
        tr("The inbound proxies of %1's replicas answer a share of its requests themselves, with "
           "an error status, and hold a share back first. Its callers see a broken version: "
           "their retries, breakers and success rates react, and a rollout of it fails its "
           "checks. Only %1 is touched; the fault lasts until healed or meshd stops.")
            .arg(version),
        this);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("Fail"), m_abortPercent);
    form->addRow(tr("with status"), m_abortStatus);
    form->addRow(tr("Delay"), m_delayPercent);
    form->addRow(tr("by"), m_delayMs);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    auto *apply = buttons->addButton(tr("Apply"), QDialogButtonBox::AcceptRole);
    apply->setObjectName(QStringLiteral("faultApply"));
    auto *heal = buttons->addButton(tr("Heal %1").arg(version), QDialogButtonBox::DestructiveRole);
    heal->setObjectName(QStringLiteral("faultHeal"));
    heal->setEnabled(current.has_value());
    connect(apply, &QPushButton::clicked, this, [this] {
        meshcore::admin::FaultSpec spec;
        spec.abortPercent = m_abortPercent->value();
        spec.abortStatus = m_abortStatus->value();
        spec.delayPercent = m_delayPercent->value();
        spec.delayMs = spec.delayPercent > 0 ? m_delayMs->value() : 0;
        m_fault = spec;
        accept();
    });
    connect(heal, &QPushButton::clicked, this, [this] {
        m_fault.reset();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(420);
}

} // namespace meshscope::ui
