// Rollouts in the explorer (offscreen) against a real demo meshd: the wizard driven page by page
// as a user fills it (its refusals of bad input, meshd's refusal in its own words), the cockpit
// of the rollout it started, its buttons acting through meshd, and the badge on the topology.
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QMessageBox>

#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <functional>

#include "models/rollout_events_model.h"
#include "models/rollout_intervals_model.h"
#include "models/rollouts_model.h"
#include "tests/ui/explorer_app.h"
#include "ui/rollouts/rollout_action_bar.h"
#include "ui/rollouts/rollout_cockpit.h"
#include "ui/rollouts/rollout_wizard.h"
#include "ui/service_panel.h"

using meshcore::rollout::Action;
using meshcore::rollout::Phase;
using meshscope::testing::App;
using meshscope::ui::RolloutWizard;

namespace {

const char *const Service = "recommendations.shop";

template <typename T> T *field(QWidget *wizard, const char *name)
{
    auto *widget = wizard->findChild<T *>(QLatin1String(name));
    if (!widget)
        qWarning("no field %s", name);
    return widget;
}

// The wizard's current page says nothing is wrong, and Next (or Finish) can be pressed.
bool pageIsFine(RolloutWizard *wizard)
{
    const auto *page = static_cast<meshscope::ui::RolloutPage *>(wizard->currentPage());
    const auto button = wizard->currentId() == RolloutWizard::Review ? QWizard::FinishButton
                                                                     : QWizard::NextButton;
    return page->problem().isEmpty() && wizard->button(button)->isEnabled();
}

// Why the page refuses, as it shows it, while Next stays disabled ("" when it does not refuse).
QString refusal(RolloutWizard *wizard)
{
    auto *problem = wizard->currentPage()->findChild<QLabel *>(QStringLiteral("problem"));
    if (wizard->button(QWizard::NextButton)->isEnabled() || !problem || problem->isHidden())
        return {};
    return problem->text();
}

Phase phaseOf(const App &app)
{
    const auto status = app.admin()->rollout(Service);
    return status ? status->phase : Phase::Succeeded;
}

// Runs `answer` on the modal dialog once it is up (polling: a loaded machine may take a while
// to open it), then stops.
void whenModal(const std::function<void(QWidget *)> &answer)
{
    auto *poll = new QTimer;
    poll->setInterval(50);
    QObject::connect(poll, &QTimer::timeout, [poll, answer] {
        if (auto *modal = QApplication::activeModalWidget()) {
            poll->stop();
            poll->deleteLater();
            answer(modal);
        }
    });
    poll->start();
}

// Presses `button` and answers the confirmation it opens yes.
void pressAndConfirm(QPushButton *button)
{
    whenModal([](QWidget *modal) {
        if (auto *box = qobject_cast<QMessageBox *>(modal))
            box->button(QMessageBox::Yes)->click();
    });
    QTest::mouseClick(button, Qt::LeftButton);
}

} // namespace

class TestRollouts : public QObject {
    Q_OBJECT
private:
    // Opens the wizard from the service panel and fills it for a canary of v2 every 5 s.
    RolloutWizard *fillTheWizard(App &app)
    {
        app.window->selectService(QString::fromLatin1(Service));
        auto *start = app.window->servicePanel()->findChild<QPushButton *>("startRollout");
        if (!start || !QTest::qWaitFor([&] { return start->isEnabled(); }, 5000))
            return nullptr;
        QTest::mouseClick(start, Qt::LeftButton);
        RolloutWizard *wizard = app.window->rolloutWizard();
        if (!wizard)
            return nullptr;
        // What to roll out: the selected service, v1 serving, v2 rolled out.
        [&] {
            QCOMPARE(field<QComboBox>(wizard, "service")->currentText(), QString(Service));
            QCOMPARE(field<QComboBox>(wizard, "stable")->currentText(), QStringLiteral("v1"));
            field<QComboBox>(wizard, "candidate")->setCurrentText(QStringLiteral("v1"));
            QVERIFY(refusal(wizard).contains("another version than stable"));
            field<QComboBox>(wizard, "candidate")->setCurrentText(QStringLiteral("v2"));
            QVERIFY(pageIsFine(wizard));
        }();
        wizard->next();
        [&] { // How: a canary, 10 % steps, every 5 s; a maximum under the step is refused.
            QCOMPARE(wizard->currentId(), int(RolloutWizard::Strategy));
            field<QSpinBox>(wizard, "maxWeight")->setValue(5);
            QVERIFY(refusal(wizard).contains("maximum weight"));
            field<QSpinBox>(wizard, "maxWeight")->setValue(50);
            field<QRadioButton>(wizard, "ab")->setChecked(true);
            QVERIFY(refusal(wizard).contains("header or cookie"));
            field<QRadioButton>(wizard, "canary")->setChecked(true);
            field<QSpinBox>(wizard, "interval")->setValue(5);
            QVERIFY(pageIsFine(wizard));
        }();
        wizard->next();
        [&] { // The analysis: at least 90 % over at least 5 requests.
            QCOMPARE(wizard->currentId(), int(RolloutWizard::Analysis));
            field<QSpinBox>(wizard, "minRequests")->setValue(0);
            QVERIFY(refusal(wizard).contains("at least 1"));
            field<QSpinBox>(wizard, "minRequests")->setValue(5);
            field<QDoubleSpinBox>(wizard, "minSuccessRate")->setValue(90);
            QVERIFY(pageIsFine(wizard));
        }();
        wizard->next();
        [&] { // meshd's own traffic, 10 requests/s.
            QCOMPARE(wizard->currentId(), int(RolloutWizard::Traffic));
            field<QCheckBox>(wizard, "trafficEnabled")->setChecked(true);
            field<QDoubleSpinBox>(wizard, "trafficRps")->setValue(10);
            QVERIFY(pageIsFine(wizard));
        }();
        wizard->next();
        return wizard->currentId() == RolloutWizard::Review ? wizard : nullptr;
    }

    // NOLINTNEXTLINE(readability-redundant-access-specifiers): Q_SLOTS marks the tests
private Q_SLOTS:
    void theWizardStartsARolloutAndTheCockpitActsOnIt()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        QAbstractItemModelTester rollouts(app.models->rollouts(),
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester intervals(app.models->rolloutIntervals(),
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
        QPointer<RolloutWizard> wizard = fillTheWizard(app);
        QVERIFY(wizard);
        const QString plan = wizard->review()->planText();
        QVERIFY2(plan.contains("v2 gets 10 % now (v1 keeps the rest), then +10 % every 5 s up to "
                               "50 % while success &gt;= 90 % and p99 &lt;= 500 ms over at least "
                               "5 requests"),
                 qPrintable(plan));
        QVERIFY(plan.contains("2 failed intervals roll it back to v1."));
        QVERIFY(plan.contains("Done in about 25 s if every interval passes."));
        QVERIFY(pageIsFine(wizard));
        wizard->button(QWizard::FinishButton)->click();
        QTRY_VERIFY_WITH_TIMEOUT(!wizard, 5000); // closed once meshd started it
        QCOMPARE(phaseOf(app), Phase::Progressing);
        QCOMPARE(app.admin()->rollout(Service)->spec.interval, std::chrono::seconds(5));

        // The cockpit shows it, with the buttons that apply.
        auto *cockpit = app.window->rolloutCockpit();
        QVERIFY(app.window->tabs()->currentWidget()->isAncestorOf(cockpit));
        auto *title = cockpit->findChild<QLabel *>("rolloutTitle");
        auto *state = cockpit->findChild<QLabel *>("rolloutState");
        QTRY_VERIFY_WITH_TIMEOUT(title->text().contains("recommendations.shop · canary v1 → v2"),
                                 5000);
        QVERIFY(state->text().contains("progressing"));
        auto *bar = cockpit->actionBar();
        QTRY_VERIFY_WITH_TIMEOUT(bar->button(Action::Pause)->isEnabled(), 5000);
        QVERIFY(!bar->button(Action::Resume)->isEnabled());
        QVERIFY(!bar->button(Action::Retry)->isEnabled());
        QVERIFY(bar->button(Action::SetWeight)->isEnabled());
        // Its card in the topology says so.
        QTRY_VERIFY_WITH_TIMEOUT(
            app.models->graph()->node(Service)->badge.startsWith("canary v2 ")
                && app.models->graph()->node(Service)->badge.contains("progressing"),
            5000);

        // Watch it advance: an interval passes and the weight steps up, in meshd and on screen.
        QTRY_VERIFY_WITH_TIMEOUT(app.admin()->rollout(Service)->weight >= 20, 40000);
        QTRY_VERIFY_WITH_TIMEOUT(app.models->rolloutIntervals()->rowCount() >= 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(
            state->text().contains("v2 at 20 %") || state->text().contains("v2 at 30 %"), 5000);

        QTest::mouseClick(bar->button(Action::Pause),
                          Qt::LeftButton); // no question: no traffic moves
        QTRY_COMPARE_WITH_TIMEOUT(phaseOf(app), Phase::Paused, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(bar->button(Action::Resume)->isEnabled(), 5000);
        QVERIFY(!bar->button(Action::Pause)->isEnabled());
        QVERIFY(state->text().contains("paused"));

        pressAndConfirm(bar->button(Action::Promote));
        QTRY_COMPARE_WITH_TIMEOUT(phaseOf(app), Phase::Succeeded, 5000);
        QCOMPARE(app.admin()->split("recommendations")->backends[1].weight, 100u);
        QTRY_VERIFY_WITH_TIMEOUT(state->text().contains("succeeded"), 5000);
        QVERIFY(!bar->button(Action::Promote)->isEnabled());
        QVERIFY(!bar->button(Action::Retry)->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(app.models->graph()->node(Service)->badge.isEmpty(), 5000);
        QVERIFY(app.models->rolloutEvents()->rowCount() >= 4); // started, a step, paused, ...
    }

    void theCockpitBreaksAndHealsTheCandidate()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        meshcore::control::RolloutSpec spec;
        spec.service = "recommendations";
        spec.ns = "shop";
        spec.candidate = "v2";
        spec.interval = std::chrono::minutes(10);
        QVERIFY(app.admin()->startRollout(spec));
        auto *cockpit = app.window->rolloutCockpit();
        auto *breakButton = cockpit->findChild<QPushButton *>("rollout-fault");
        QVERIFY(breakButton);
        QTRY_COMPARE_WITH_TIMEOUT(breakButton->text(), QStringLiteral("Break v2…"), 5000);
        // Fill the dialog: every request to v2 answered 500 by its own proxies.
        whenModal([](QWidget *modal) {
            auto *dialog = qobject_cast<QDialog *>(modal);
            QVERIFY(dialog);
            const auto boxes = dialog->findChildren<QDoubleSpinBox *>();
            QCOMPARE(boxes.size(), 2);
            boxes[0]->setValue(100);
            dialog->findChild<QSpinBox *>()->setValue(500);
            dialog->findChild<QPushButton *>("faultApply")->click();
        });
        QTest::mouseClick(breakButton, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(app.admin()->faults()->size(), std::size_t(1), 5000);
        const auto fault = app.admin()->faults()->front();
        QCOMPARE(fault.version, std::string("v2"));
        QCOMPARE(fault.fault.abortPercent, 100.0);
        QCOMPARE(fault.fault.abortStatus, std::int64_t(500));
        auto *state = cockpit->findChild<QLabel *>("rolloutState");
        QTRY_VERIFY_WITH_TIMEOUT(state->text().contains("v2 broken on purpose"), 5000);
        QCOMPARE(breakButton->text(), QStringLiteral("Heal or Change v2…"));
        // Heal it.
        whenModal([](QWidget *modal) {
            auto *dialog = qobject_cast<QDialog *>(modal);
            QVERIFY(dialog);
            dialog->findChild<QPushButton *>("faultHeal")->click();
        });
        QTest::mouseClick(breakButton, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(app.admin()->faults()->empty(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!state->text().contains("broken on purpose"), 5000);

        // Abort asks first, then sends v2 back to 0 %.
        auto *bar = cockpit->actionBar();
        QTRY_VERIFY_WITH_TIMEOUT(bar->button(Action::Abort)->isEnabled(), 5000);
        pressAndConfirm(bar->button(Action::Abort));
        QTRY_COMPARE_WITH_TIMEOUT(phaseOf(app), Phase::Aborted, 5000);
        QCOMPARE(app.admin()->split("recommendations")->backends[1].weight, 0u);
        QTRY_VERIFY_WITH_TIMEOUT(state->text().contains("aborted"), 5000);
        QVERIFY(bar->button(Action::Retry)->isEnabled());
        QVERIFY(!breakButton->isEnabled()); // an ended rollout's candidate is not to be broken
    }

    void fileExportWritesTheRunningMeshWithItsRollout()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        meshcore::control::RolloutSpec spec;
        spec.service = "recommendations";
        spec.ns = "shop";
        spec.candidate = "v2";
        spec.stepWeight = 30;
        spec.maxWeight = 60;
        spec.interval = std::chrono::minutes(10);
        QVERIFY(app.admin()->startRollout(spec));
        QTemporaryDir dir;
        const QString path = dir.filePath("mesh-k8s.yaml");
        QSignalSpy finished(app.connection.get(),
                            &meshscope::models::MeshConnection::actionFinished);
        app.connection->exportTo(path); // what File > Export… does once a file is chosen
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
        QCOMPARE(finished.front().at(0).toString(), QStringLiteral("export"));
        QVERIFY2(finished.front().at(1).toBool(), qPrintable(finished.front().at(2).toString()));
        QVERIFY(finished.front().at(2).toString().startsWith("wrote "));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString yaml = QString::fromUtf8(file.readAll());
        QVERIFY(yaml.contains("kind: HTTPRoute"));
        QVERIFY2(yaml.contains("kind: Canary") && yaml.contains("stepWeight: 30"),
                 qPrintable(yaml));
        QVERIFY(yaml.contains("kind: Rollout"));
    }

    void meshdsRefusalShowsInItsOwnWords()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        meshcore::control::RolloutSpec running;
        running.service = "recommendations";
        running.ns = "shop";
        running.stable = "v1";
        running.candidate = "v2";
        running.interval = std::chrono::seconds(60);
        QVERIFY(app.admin()->startRollout(running));
        QPointer<RolloutWizard> wizard = fillTheWizard(app);
        QVERIFY(wizard);
        wizard->button(QWizard::FinishButton)->click();
        auto *answer = wizard->findChild<QLabel *>("answer");
        QTRY_VERIFY_WITH_TIMEOUT(answer->text().contains("meshd refused"), 5000);
        QVERIFY2(answer->text().contains("active rollout") || answer->text().contains("already"),
                 qPrintable(answer->text()));
        QVERIFY(wizard->isVisible()); // nothing lost: fix it or cancel
        QVERIFY(wizard->button(QWizard::FinishButton)->isEnabled());
        wizard->reject();
    }

    void aRolledBackRolloutStaysOnItsCardUntilDismissed()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        meshcore::control::RolloutSpec failing; // v2 fails 5 % of requests: below 99.9 %
        failing.service = "recommendations";
        failing.ns = "shop";
        failing.stable = "v1";
        failing.candidate = "v2";
        failing.interval = std::chrono::seconds(3);
        failing.analysis.minSuccessRate = 99.9;
        failing.analysis.minRequests = 5;
        failing.analysis.failureThreshold = 1;
        failing.traffic.enabled = true;
        failing.traffic.rps = 20;
        QVERIFY(app.admin()->startRollout(failing));
        QTRY_COMPARE_WITH_TIMEOUT(phaseOf(app), Phase::RolledBack, 40000);
        const auto *graph = app.models->graph();
        QTRY_VERIFY_WITH_TIMEOUT(graph->node(Service)->badge.contains("rolled back"), 5000);
        QCOMPARE(graph->node(Service)->badgeHealth, meshscope::models::Health::Failing);
        // The failing interval's check, in meshd's sentence, in the cockpit's table.
        auto *intervals = app.models->rolloutIntervals();
        QTRY_VERIFY_WITH_TIMEOUT(intervals->rowCount() > 0, 5000);
        bool failed = false;
        for (const auto &row : intervals->rows())
            failed = failed
                || (row.interval.verdict == meshcore::rollout::Verdict::Fail
                    && meshscope::models::intervalDecision(row.interval).contains("success rate"));
        QVERIFY(failed);
        QTest::qWait(1000); // more polls: it stays
        QVERIFY(!graph->node(Service)->badge.isEmpty());
        app.models->graph()->dismissBadge(Service); // the card's "Dismiss Rollout Badge"
        QVERIFY(graph->node(Service)->badge.isEmpty());
        QTest::qWait(1000);
        QVERIFY(graph->node(Service)->badge.isEmpty());
    }
};

QTEST_MAIN(TestRollouts)
#include "tst_rollouts.moc"
