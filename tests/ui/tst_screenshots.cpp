// Pictures of the main window (offscreen) on the demo mesh, in a light and a dark palette, with the
// checks, certificates and tap tabs below the topology and a service selected: to look at after a
// change (did anything move or lose its colour?). The PNGs go to $MESHSCOPE_SCREENSHOT_DIR (else
// a temporary folder that is removed); the test only checks they are real pictures.
#include <QApplication>
#include <QDir>
#include <QImage>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include "models/explorer_models.h"
#include "models/mesh_connection.h"
#include "tests/support/meshd_process.h"
#include "tests/support/temp_state.h"
#include "ui/main_window.h"

using meshscope::models::MeshConnection;
using meshscope::testing::MeshdProcess;
using meshscope::testing::TempState;

namespace {

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
    p.setColor(QPalette::WindowText, QColor(0xe8, 0xea, 0xed));
    p.setColor(QPalette::Base, QColor(0x20, 0x21, 0x24));
    p.setColor(QPalette::AlternateBase, QColor(0x2b, 0x2d, 0x30));
    p.setColor(QPalette::Text, QColor(0xe8, 0xea, 0xed));
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0xa0, 0xa6));
    p.setColor(QPalette::Button, QColor(0x3c, 0x40, 0x43));
    p.setColor(QPalette::ButtonText, QColor(0xe8, 0xea, 0xed));
    p.setColor(QPalette::Highlight, QColor(0x8a, 0xb4, 0xf8));
    p.setColor(QPalette::HighlightedText, QColor(0x20, 0x21, 0x24));
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x40, 0x43));
    p.setColor(QPalette::ToolTipText, QColor(0xe8, 0xea, 0xed));
    return p;
}

bool isPicture(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    return !image.isNull() && colours.size() > 10;
}

} // namespace

class TestScreenshots : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theWindowInLightAndDark()
    {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        const QPalette light = QApplication::style()->standardPalette();
        QApplication::setPalette(light);
        TempState state;
        auto meshd = MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        MeshConnection::Options options;
        options.address = meshd->adminAddress();
        options.stateDir = state.stateDir();
        options.startMeshdIfAbsent = false;
        options.pollIntervalMs = 300;
        MeshConnection connection(options);
        meshscope::models::ExplorerModels models(&connection);
        {
            meshscope::ui::MainWindow window(&connection, &models);
            window.resize(1600, 1000);
            window.show();
            window.selectService(QStringLiteral("catalog.shop"));
            connection.start();
            QVERIFY(QTest::qWaitFor([&] { return window.readyForScreenshot(); }, 30000));
            QTest::qWait(1500); // a few more polls: charts and tables filled

            QTemporaryDir temporary;
            const QString wanted = qEnvironmentVariable("MESHSCOPE_SCREENSHOT_DIR");
            const QString dir = wanted.isEmpty() ? temporary.path() : wanted;
            QDir().mkpath(dir);
            auto *tabs = window.findChild<QTabWidget *>();
            QVERIFY(tabs);
            for (const auto &[name, palette] :
                 {std::pair {QStringLiteral("light"), light},
                  std::pair {QStringLiteral("dark"), darkPalette()}}) {
                QApplication::setPalette(palette);
                for (int tab = 0; tab < 3; ++tab) {
                    tabs->setCurrentIndex(tab);
                    QTest::qWait(tab == 2 ? 1500 : 300); // the tap opens when shown
                    const QImage image = window.grab().toImage();
                    QVERIFY(isPicture(image));
                    const QString file
                        = QStringLiteral("%1/window-%2-tab%3.png").arg(dir, name).arg(tab);
                    QVERIFY(image.save(file, "PNG"));
                    qInfo("wrote %s", qPrintable(file));
                }
            }
            QApplication::setPalette(light);
        }
        connection.shutdown();
    }
};

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
