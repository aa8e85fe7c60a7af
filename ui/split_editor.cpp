#include "ui/split_editor.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

namespace meshscope::ui {

SplitEditor::SplitEditor(QWidget *parent)
    : QWidget(parent)
    , m_grid(new QGridLayout)
    , m_note(new QLabel(this))
    , m_apply(new QPushButton(tr("Apply…"), this))
    , m_reset(new QPushButton(tr("Reset"), this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_grid);
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_note);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_reset);
    buttons->addWidget(m_apply);
    layout->addLayout(buttons);
    m_apply->setToolTip(
        tr("Send these weights to meshd: new requests follow them at once, none is dropped"));
    m_reset->setToolTip(tr("Back to the split in force"));
    connect(m_apply, &QPushButton::clicked, this, [this] { apply(true); });
    connect(m_reset, &QPushButton::clicked, this, [this] {
        setEditing(false);
        rebuild(m_inForce);
    });
    setEditing(false);
}

void SplitEditor::showSplit(const QString &service, const meshcore::admin::SplitInfo *split)
{
    if (service != m_service) {
        m_service = service;
        setEditing(false);
    }
    if (!split) {
        m_inForce = {};
        rebuild(m_inForce);
        return;
    }
    m_inForce = *split;
    if (!m_editing)
        rebuild(m_inForce);
}

void SplitEditor::rebuild(const meshcore::admin::SplitInfo &split)
{
    m_updating = true;
    const bool sameVersions = split.backends.size() == m_rows.size()
        && std::equal(split.backends.begin(), split.backends.end(), m_rows.begin(),
                      [](const auto &b, const Row &r) {
                          return QString::fromStdString(b.version) == r.version;
                      });
    if (!sameVersions) {
        m_rows.clear(); // their widgets are the grid's: deleted next
        while (auto *item = m_grid->takeAt(0)) {
            delete item->widget();
            delete item;
        }
        int line = 0;
        for (const auto &backend : split.backends) {
            Row row {QString::fromStdString(backend.version), new QSlider(Qt::Horizontal, this),
                     new QSpinBox(this), new QLabel(this)};
            row.slider->setRange(0, 100);
            row.slider->setAccessibleName(tr("Weight of %1").arg(row.version));
            row.weight->setRange(0, 1000000);
            row.share->setMinimumWidth(60);
            row.share->setToolTip(tr("The share of new requests this version gets"));
            m_grid->addWidget(new QLabel(row.version, this), line, 0);
            m_grid->addWidget(row.slider, line, 1);
            m_grid->addWidget(row.weight, line, 2);
            m_grid->addWidget(row.share, line, 3);
            const QString version = row.version;
            connect(row.slider, &QSlider::valueChanged, this, [this, version](int value) {
                if (!m_updating)
                    setWeight(version, value);
            });
            connect(row.weight, &QSpinBox::valueChanged, this, [this, version](int value) {
                if (!m_updating)
                    setWeight(version, value);
            });
            m_rows.push_back(row);
            ++line;
        }
    }
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const int weight = static_cast<int>(split.backends[i].weight);
        m_rows[i].weight->setValue(weight);
        m_rows[i].slider->setValue(std::min(weight, 100));
    }
    m_updating = false;
    updateShares();
    if (m_rows.size() < 2)
        m_note->setText(m_rows.empty() ? tr("No service selected.")
                                       : tr("One version: nothing to split. Add a version to the "
                                            "configuration to run a canary."));
    else
        m_note->setText(noteFor(split));
    m_apply->setVisible(m_rows.size() >= 2);
    m_reset->setVisible(m_rows.size() >= 2);
}

// What is in force, where it comes from and whether it outlives a restart of meshd.
QString SplitEditor::noteFor(const meshcore::admin::SplitInfo &split)
{
    unsigned total = 0;
    for (const auto &backend : split.backends)
        total += backend.weight;
    QStringList parts;
    for (const auto &backend : split.backends)
        parts << QStringLiteral("%1 %2 %").arg(
            QString::fromStdString(backend.version),
            total ? QString::number(100.0 * backend.weight / total, 'f', 0) : QStringLiteral("0"));
    QString origin;
    if (split.source == "runtime")
        origin = split.persisted
            ? tr("Set at run time: meshd keeps it across restarts until the configuration file "
                 "changes this service's split.")
            : tr("Set at run time, but meshd could not save it: a restart of meshd goes back to "
                 "the configuration file's split.");
    else
        origin = tr("From the configuration file.");
    return tr("In force: %1. %2 Move a slider, then Apply; weights are relative.")
        .arg(parts.join(QStringLiteral(" · ")), origin);
}

void SplitEditor::setWeight(const QString &version, int weight)
{
    m_updating = true;
    for (auto &row : m_rows)
        if (row.version == version) {
            row.weight->setValue(weight);
            row.slider->setValue(std::min(weight, 100));
        }
    m_updating = false;
    setEditing(true);
    updateShares();
}

std::vector<meshcore::admin::BackendShare> SplitEditor::weights() const
{
    std::vector<meshcore::admin::BackendShare> out;
    for (const auto &row : m_rows)
        out.push_back({row.version.toStdString(), static_cast<unsigned>(row.weight->value())});
    return out;
}

void SplitEditor::updateShares()
{
    double total = 0;
    for (const auto &row : m_rows)
        total += row.weight->value();
    for (const auto &row : m_rows)
        row.share->setText(
            total > 0 ? QStringLiteral("%1 %").arg(100.0 * row.weight->value() / total, 0, 'f', 1)
                      : QStringLiteral("–"));
    m_apply->setEnabled(m_editing && total > 0);
}

QString SplitEditor::note() const
{
    return m_note->text();
}

void SplitEditor::setEditing(bool editing)
{
    m_editing = editing;
    m_reset->setEnabled(editing);
    updateShares();
}

void SplitEditor::apply(bool confirm)
{
    QString text;
    for (const auto &w : weights())
        text += (text.isEmpty() ? "" : ", ") + QString::fromStdString(w.version) + " = "
            + QString::number(w.weight);
    if (confirm
        && QMessageBox::question(
               this, tr("Change the traffic split"),
               tr("Send %1 to %2?\n\nNew requests follow the new weights at once.")
                   .arg(text, m_service))
            != QMessageBox::Yes)
        return;
    Q_EMIT applyRequested(m_service, weights());
    setEditing(false); // the next poll shows what meshd put in force
}

} // namespace meshscope::ui
