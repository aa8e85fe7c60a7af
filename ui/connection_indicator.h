#pragma once

#include <QWidget>

#include "models/mesh_connection.h"

class QLabel;

namespace meshscope::ui {

// The status bar's connection light and sentence: green connected, amber connecting or starting,
// red disconnected. Thread: GUI.
class ConnectionIndicator : public QWidget {
    Q_OBJECT
public:
    explicit ConnectionIndicator(QWidget *parent = nullptr);

    void setState(models::MeshConnection::State state, const QString &text);

private:
    QLabel *m_light;
    QLabel *m_text;
};

} // namespace meshscope::ui
