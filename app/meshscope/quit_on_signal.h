#pragma once

// Makes SIGINT and SIGTERM quit the Qt event loop normally (self-pipe + QSocketNotifier), so
// Ctrl-C in the terminal or a `kill` runs the same shutdown as closing the window: the meshd the
// app started is stopped too. Call once, after the QCoreApplication exists.
void quitOnTerminationSignals();
