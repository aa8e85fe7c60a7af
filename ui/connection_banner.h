#pragma once

#include <QDateTime>
#include <QFrame>

class QLabel;
class QPushButton;

namespace meshscope::models {
class MeshConnection;
} // namespace meshscope::models

namespace meshscope::ui {

// What to say while no meshd answers, in one place: one short line, the command that starts a
// meshd at the address in use, and Retry / Settings… buttons; the raw error is its tooltip. The
// window shows it above the last picture, and alone while no meshd ever answered. Thread: GUI.
class ConnectionBanner : public QFrame {
    Q_OBJECT
public:
    // `large`: the whole-window version (no meshd yet), centred and bigger.
    ConnectionBanner(const models::MeshConnection *connection, bool large,
                     QWidget *parent = nullptr);

    // `lastData` invalid: no figures were ever shown.
    void showProblem(const QString &error, const QDateTime &lastData);
    QString message() const;
    QString command() const;
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *settingsButton() const { return m_settings; }
    void refreshColours();

    // `meshd up --demo --admin ADDR [--state-dir DIR]` for the connection's address.
    static QString startCommand(const models::MeshConnection &connection);

Q_SIGNALS:
    void retryRequested();
    void settingsRequested();

private:
    const models::MeshConnection *m_connection;
    bool m_large;
    QLabel *m_message;
    QLabel *m_command;
    QLabel *m_detail = nullptr; // the large one says what the last attempt said
    QPushButton *m_retry;
    QPushButton *m_settings;
};

} // namespace meshscope::ui
