// The wizard's last page: in sentences, exactly what the rollout will do, and the plan drawn.
#include <QLabel>
#include <QVBoxLayout>

#include "core/service_key.h"
#include "models/rollout_schedule.h"
#include "models/rollout_text.h"
#include "ui/charts/step_chart.h"
#include "ui/colour_scheme.h"
#include "ui/rollouts/rollout_pages.h"

namespace meshscope::ui {

ReviewPage::ReviewPage(QWidget *parent)
    : RolloutPage(tr("Review"), tr("Finish asks meshd to start it now."), parent)
    , m_plan(new QLabel(this))
    , m_chart(new StepChart(tr("Candidate's share if every interval passes"),
                            StepChart::Axis::Elapsed, this))
    , m_answer(new QLabel(this))
{
    m_plan->setObjectName(QStringLiteral("plan"));
    m_plan->setWordWrap(true);
    m_plan->setTextFormat(Qt::RichText);
    m_plan->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_answer->setObjectName(QStringLiteral("answer"));
    m_answer->setWordWrap(true);
    m_answer->hide();
    m_chart->setMinimumHeight(180);
    body()->addWidget(m_plan);
    body()->addWidget(m_chart);
    body()->addWidget(m_answer);
    setFinalPage(true);
}

void ReviewPage::showPlan(const meshcore::control::RolloutSpec &spec)
{
    const QString title
        = tr("<p><b>Roll %1 out from %2 to %3 (%4)</b></p>")
              .arg(QString::fromStdString(meshcore::qualifiedName(spec.service, spec.ns)),
                   QString::fromStdString(spec.stable).toHtmlEscaped(),
                   QString::fromStdString(spec.candidate).toHtmlEscaped(),
                   models::strategyText(spec.strategy));
    QString items;
    for (const auto &sentence : models::planSentences(spec))
        items += QStringLiteral("<li>%1</li>").arg(sentence.toHtmlEscaped());
    m_plan->setText(title + QStringLiteral("<ul style=\"margin-left:-20px\">%1</ul>").arg(items));
    m_chart->setSteps(models::plannedWeights(spec));
}

QString ReviewPage::planText() const
{
    return m_plan->text();
}

bool ReviewPage::isComplete() const
{
    return !m_waiting && RolloutPage::isComplete();
}

void ReviewPage::setWaiting(bool waiting)
{
    m_waiting = waiting;
    if (waiting) {
        m_answer->setPalette(palette());
        m_answer->setText(tr("Asking meshd to start it…"));
        m_answer->show();
    }
    Q_EMIT completeChanged();
}

void ReviewPage::setRefusal(const QString &sentence)
{
    QPalette red = m_answer->palette();
    red.setColor(QPalette::WindowText, colours::health(models::Health::Failing));
    m_answer->setPalette(red);
    m_answer->setText(tr("<b>meshd refused:</b> %1").arg(sentence.toHtmlEscaped()));
    m_answer->show();
}

} // namespace meshscope::ui
