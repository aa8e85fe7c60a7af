#include "ui/connection_indicator.h"

#include <QHBoxLayout>
#include <QLabel>

#include "ui/colour_scheme.h"

namespace meshscope::ui {

ConnectionIndicator::ConnectionIndicator(QWidget *parent)
    : QWidget(parent)
    , m_light(new QLabel(this))
    , m_text(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->setSpacing(6);
    m_light->setFixedSize(12, 12);
    layout->addWidget(m_light);
    layout->addWidget(m_text, 1);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long status never widens the window: the label takes the room the bar gives it.
    m_text->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_text->setMinimumWidth(120);
    setState(models::MeshConnection::State::Idle, tr("Not connected"));
}

void ConnectionIndicator::setState(models::MeshConnection::State state, const QString &text)
{
    using State = models::MeshConnection::State;
    QString tip;
    switch (state) {
    case State::Connected:
        tip = tr("meshd answers its admin API");
        break;
    case State::Connecting:
    case State::StartingMeshd:
        tip = tr("Waiting for meshd to answer");
        break;
    case State::Idle:
    case State::Disconnected:
        tip = tr("meshd does not answer; Meshscope keeps retrying every second.\n%1").arg(text);
        break;
    }
    // The error itself is the banner's tooltip and this one's: the bar says it in short.
    const QString shown = state == State::Disconnected || state == State::Idle
        ? tr("Not connected: retrying every second")
        : text;
    m_light->setStyleSheet(QStringLiteral("background:%1; border-radius:6px;")
                               .arg(colours::connectionLight(state).name()));
    m_light->setToolTip(tip);
    m_text->setText(shown);
    m_text->setToolTip(tip);
}

} // namespace meshscope::ui
