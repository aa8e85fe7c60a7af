#pragma once

#include <QString>

// Every QSettings key the explorer reads or writes, defined once: the window (ui/main_window.cpp),
// the settings dialog's choices and the connection the app starts with (app/meshscope/main.cpp).
// Renaming one loses what users saved under the old name: add a new key instead.
namespace meshscope::ui::settings_keys {

inline const QString WarnBelow = QStringLiteral("health/warnBelow"); // double, 0.99
inline const QString FailBelow = QStringLiteral("health/failBelow"); // double, 0.95
inline const QString Address = QStringLiteral("connection/address"); // "127.0.0.1:4191"
inline const QString StateDir = QStringLiteral("connection/stateDir"); // meshd's state directory
inline const QString Geometry = QStringLiteral("window/geometry"); // QMainWindow::saveGeometry
inline const QString WindowState = QStringLiteral("window/state"); // QMainWindow::saveState
inline const QString Split = QStringLiteral("window/split"); // the topology/tabs splitter
inline const QString EdgeLabels = QStringLiteral("topology/labels"); // bool, true
inline const QString MovingDots = QStringLiteral("topology/dots"); // bool, true

} // namespace meshscope::ui::settings_keys
