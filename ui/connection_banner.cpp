#include "ui/connection_banner.h"

#include <QBoxLayout>
#include <QLabel>
#include <QPushButton>

#include "core/address.h"
#include "core/state_dir.h"
#include "models/mesh_connection.h"
#include "ui/colour_scheme.h"

namespace meshscope::ui {

ConnectionBanner::ConnectionBanner(const models::MeshConnection *connection, bool large,
                                   QWidget *parent)
    : QFrame(parent)
    , m_connection(connection)
    , m_large(large)
    , m_message(new QLabel(this))
    , m_command(new QLabel(this))
    , m_retry(new QPushButton(tr("&Retry"), this))
    , m_settings(new QPushButton(tr("&Settings…"), this))
{
    setObjectName(large ? QStringLiteral("connectionPage") : QStringLiteral("connectionBanner"));
    m_message->setWordWrap(true);
    m_message->setObjectName(QStringLiteral("connectionMessage"));
    m_command->setWordWrap(true);
    m_command->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_command->setObjectName(QStringLiteral("connectionCommand"));
    // Long errors and addresses wrap: nothing here may make the window wider.
    m_message->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_command->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_retry->setToolTip(tr("Ask meshd again now (Meshscope also retries every second)"));
    m_settings->setToolTip(tr("Connect to a meshd at another address or state directory"));
    connect(m_retry, &QPushButton::clicked, this, &ConnectionBanner::retryRequested);
    connect(m_settings, &QPushButton::clicked, this, &ConnectionBanner::settingsRequested);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_retry);
    buttons->addWidget(m_settings);
    if (large) {
        QFont title = m_message->font();
        title.setPointSizeF(title.pointSizeF() * 1.4);
        m_message->setFont(title);
        m_message->setAlignment(Qt::AlignCenter);
        m_command->setAlignment(Qt::AlignCenter);
        buttons->insertStretch(0);
        buttons->addStretch();
        m_detail = new QLabel(this);
        m_detail->setWordWrap(true);
        m_detail->setAlignment(Qt::AlignCenter);
        m_detail->setForegroundRole(QPalette::PlaceholderText);
        m_detail->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(40, 40, 40, 40);
        layout->addStretch();
        layout->addWidget(m_message);
        layout->addWidget(m_command);
        layout->addLayout(buttons);
        layout->addWidget(m_detail);
        layout->addStretch();
    } else {
        setAutoFillBackground(true);
        auto *text = new QVBoxLayout;
        text->setSpacing(2);
        text->addWidget(m_message);
        text->addWidget(m_command);
        auto *layout = new QHBoxLayout(this);
        layout->setContentsMargins(8, 6, 8, 6);
        layout->addLayout(text, 1);
        layout->addLayout(buttons);
        colours::paintBanner(this, true);
    }
}

void ConnectionBanner::refreshColours()
{
    if (!m_large)
        colours::paintBanner(this, true);
}

QString ConnectionBanner::startCommand(const models::MeshConnection &connection)
{
    const auto &options = connection.options();
    QString command = QStringLiteral("meshd up --demo");
    if (!(options.address == meshcore::defaultAdminAddress()))
        command += QStringLiteral(" --admin ") + connection.addressText();
    if (!options.stateDir.empty() && options.stateDir != meshcore::defaultStateDir())
        command
            += QStringLiteral(" --state-dir ") + QString::fromStdString(options.stateDir.string());
    return command;
}

void ConnectionBanner::showProblem(const QString &error, const QDateTime &lastData)
{
    QString message = tr("<b>meshd at %1 is not answering.</b>")
                          .arg(m_connection->addressText().toHtmlEscaped());
    if (lastData.isValid())
        message += QLatin1Char(' ')
            + tr("The figures shown are from %1.")
                  .arg(lastData.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    m_message->setText(message);
    const QString command = startCommand(*m_connection);
    const bool restarts = m_connection->startsMeshdWhenAbsent();
    m_command->setText(
        restarts ? tr("Meshscope starts its demo mesh there when nothing answers; to run your own: "
                      "<code>%1</code> (or <code>--config mesh.yaml</code>)")
                       .arg(command.toHtmlEscaped())
                 : tr("Start one with <code>%1</code> (or <code>--config mesh.yaml</code> instead "
                      "of <code>--demo</code>); Meshscope connects as soon as it answers.")
                       .arg(command.toHtmlEscaped()));
    setToolTip(tr("What the last attempt said: %1").arg(error));
    if (m_detail)
        m_detail->setText(tr("Last attempt: %1").arg(error));
}

QString ConnectionBanner::message() const
{
    return m_message->text();
}

QString ConnectionBanner::command() const
{
    return m_command->text();
}

} // namespace meshscope::ui
