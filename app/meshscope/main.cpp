// meshscope: the desktop app. Composition root only: options, the connection, the window.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QSettings>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "core/address.h"
#include "core/state_dir.h"
#include "core/version.h"
#include "models/explorer_models.h"
#include "models/mesh_connection.h"
#include "quit_on_signal.h"
#include "ui/main_window.h"
#include "ui/settings_keys.h"

using meshscope::models::MeshConnection;

namespace {

[[noreturn]] void failUsage(const QString &message)
{
    std::fprintf(stderr, "meshscope: %s\n", qPrintable(message));
    std::exit(2);
}

// Renders the window once it shows something worth a picture (the mesh with traffic and, with
// --select, that service's charts), after `delayMs` more, then quits (docs, tests).
void arrangeScreenshot(meshscope::ui::MainWindow *window, MeshConnection *connection,
                       const QString &file, int delayMs, int timeoutMs)
{
    auto taken = std::make_shared<bool>(false);
    QObject::connect(
        window, &meshscope::ui::MainWindow::snapshotShown, window, [window, file, delayMs, taken] {
            if (*taken || !window->readyForScreenshot())
                return;
            *taken = true;
            // A little more so the new figures are laid out (and charts fill up) before grabbing.
            QTimer::singleShot(std::max(150, delayMs), window, [window, file] {
                if (!window->grab().save(file, "PNG")) {
                    std::fprintf(stderr, "meshscope: cannot write %s\n", qPrintable(file));
                    QCoreApplication::exit(1);
                    return;
                }
                std::fprintf(stdout, "meshscope: wrote %s\n", qPrintable(file));
                QCoreApplication::exit(0);
            });
        });
    QTimer::singleShot(timeoutMs + delayMs, window, [connection, taken] {
        if (*taken)
            return;
        std::fprintf(stderr,
                     "meshscope: nothing worth a picture from meshd in time, no screenshot: %s\n",
                     qPrintable(connection->statusText()));
        QCoreApplication::exit(1);
    });
}

// Where to connect and what a meshd this app starts gets: the options, else what the last run
// saved (--connect is saved for the next run).
MeshConnection::Options connectionOptions(const QCommandLineParser &parser)
{
    QSettings settings;
    MeshConnection::Options options;
    const QString addressText = parser.isSet(QStringLiteral("connect"))
        ? parser.value(QStringLiteral("connect"))
        : settings.value(meshscope::ui::settings_keys::Address, QStringLiteral("127.0.0.1:4191"))
              .toString();
    auto address = meshcore::parseAddress(addressText.toStdString());
    if (!address)
        failUsage(QStringLiteral("invalid value for --connect: %1")
                      .arg(QString::fromStdString(address.error().message)));
    if (!address->isLoopback())
        failUsage(QStringLiteral("invalid value for --connect: %1 is not a loopback address")
                      .arg(addressText));
    options.address = *address;
    if (parser.isSet(QStringLiteral("connect"))) // the next start connects there too
        settings.setValue(meshscope::ui::settings_keys::Address, addressText);
    const QString savedStateDir = settings.value(meshscope::ui::settings_keys::StateDir).toString();
    options.stateDir = parser.isSet(QStringLiteral("state-dir"))
        ? std::filesystem::absolute(parser.value(QStringLiteral("state-dir")).toStdString())
        : !parser.isSet(QStringLiteral("connect")) && !savedStateDir.isEmpty()
        ? std::filesystem::path(savedStateDir.toStdString())
        : meshcore::defaultStateDir();
    options.startMeshdIfAbsent = !parser.isSet(QStringLiteral("no-start-meshd"));
    if (parser.isSet(QStringLiteral("outbound"))) {
        auto outbound
            = meshcore::parseAddress(parser.value(QStringLiteral("outbound")).toStdString());
        if (!outbound || !outbound->isLoopback())
            failUsage(QStringLiteral("invalid value for --outbound: %1")
                          .arg(parser.value(QStringLiteral("outbound"))));
        options.meshdOutbound = *outbound;
    }

    return options;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Meshscope"));
    QApplication::setOrganizationName(QStringLiteral("Meshscope"));
    QApplication::setApplicationVersion(QString::fromLatin1(meshcore::MeshscopeVersion));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/meshscope.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Desktop service-mesh explorer. Connects to meshd's admin API; when nothing answers there, "
        "starts the bundled meshd on the embedded demo mesh and stops it again on quit."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption connectOption(
        QStringLiteral("connect"),
        QStringLiteral(
            "meshd's admin API address (default: the last one used, else 127.0.0.1:4191)."),
        QStringLiteral("ADDR"));
    const QCommandLineOption stateDirOption(
        QStringLiteral("state-dir"),
        QStringLiteral("meshd's state directory, where its admin token is (default: "
                       "$XDG_STATE_HOME/meshscope)."),
        QStringLiteral("DIR"));
    const QCommandLineOption outboundOption(
        QStringLiteral("outbound"),
        QStringLiteral(
            "Where a meshd that Meshscope starts puts its outbound proxy for local clients "
            "(default 127.0.0.1:4140)."),
        QStringLiteral("ADDR"));
    const QCommandLineOption noStartOption(
        QStringLiteral("no-start-meshd"),
        QStringLiteral("Never start the bundled meshd; only connect to a running one."));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QStringLiteral("Render the main window to a PNG once the mesh shows traffic (and the "
                       "--select'ed service its charts), then exit."),
        QStringLiteral("FILE"));
    const QCommandLineOption selectOption(
        QStringLiteral("select"),
        QStringLiteral("Select this service (name.namespace) once it shows, as a click would."),
        QStringLiteral("SERVICE"));
    const QCommandLineOption delayOption(
        QStringLiteral("screenshot-delay"),
        QStringLiteral("With --screenshot: wait this many more seconds once there is traffic "
                       "(charts fill in 10 s steps)."),
        QStringLiteral("SECONDS"));
    parser.addOptions({connectOption, stateDirOption, outboundOption, noStartOption,
                       screenshotOption, selectOption, delayOption});
    if (!parser.parse(QCoreApplication::arguments()))
        failUsage(parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty())
        failUsage(
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));

    const MeshConnection::Options options = connectionOptions(parser);
    MeshConnection connection(options);
    meshscope::models::ExplorerModels models(&connection);
    meshscope::ui::MainWindow window(&connection, &models);
    if (parser.isSet(selectOption))
        window.selectService(parser.value(selectOption));
    if (parser.isSet(screenshotOption)) {
        bool ok = true;
        const double delay
            = parser.isSet(delayOption) ? parser.value(delayOption).toDouble(&ok) : 0;
        if (!ok || delay < 0 || delay > 3600)
            failUsage(QStringLiteral("invalid value for --screenshot-delay: %1")
                          .arg(parser.value(delayOption)));
        arrangeScreenshot(&window, &connection, parser.value(screenshotOption),
                          static_cast<int>(delay * 1000), 30000);
    }
    // Stop polling and the meshd we started before the window goes away, however we quit.
    QObject::connect(&app, &QCoreApplication::aboutToQuit, &connection, &MeshConnection::shutdown);
    quitOnTerminationSignals();
    window.show();
    connection.start();
    return QApplication::exec();
}
