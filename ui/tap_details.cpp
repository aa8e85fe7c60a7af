#include "ui/tap_details.h"

#include <QDateTime>

#include <cmath>

#include "models/figures_text.h"

namespace meshscope::ui {

namespace {

QString orDash(const std::string &text)
{
    return text.empty() ? QStringLiteral("–") : QString::fromStdString(text);
}

QString timeOf(std::int64_t unixMs)
{
    return QDateTime::fromMSecsSinceEpoch(unixMs).toString(
        QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace

TapDetails::TapDetails(QWidget *parent)
    : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("tapDetails"));
    setOpenLinks(false);
    setLineWrapMode(QTextEdit::WidgetWidth);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    showRequest(std::nullopt);
}

QList<QPair<QString, QString>> TapDetails::fields(const meshcore::telemetry::TapEvent &e)
{
    const auto started = e.unixMs;
    const auto ended = e.unixMs + std::llround(e.latencyMs);
    return {
        {tr("Request"), QString::fromStdString(e.method + " " + e.path)},
        {tr("Authority"), orDash(e.authority)},
        {tr("Route"), orDash(e.route)},
        {tr("Status"), e.status == 0 ? tr("none (no answer)") : QString::number(e.status)},
        {tr("Latency"), models::humanMs(e.latencyMs)},
        {tr("Proxy error"), e.error.empty() ? tr("none") : QString::fromStdString(e.error)},
        {tr("Retries"), QString::number(e.retries)},
        {tr("TLS"), e.mtls ? tr("mTLS to a verified identity") : tr("none (plain text)")},
        {tr("From pod"), orDash(e.sourcePod)},
        {tr("From service"), orDash(e.sourceService)},
        {tr("Caller identity"), orDash(e.sourceIdentity)},
        {tr("To service"), orDash(e.destinationService)},
        {tr("Answered by"),
         e.destinationPod.empty() ? tr("no replica") : QString::fromStdString(e.destinationPod)},
        {tr("Callee identity"), orDash(e.destinationIdentity)},
        {tr("Started"), timeOf(started)},
        {tr("Ended"), timeOf(ended)},
    };
}

void TapDetails::showRequest(const std::optional<meshcore::telemetry::TapEvent> &event)
{
    m_event = event;
    if (!event) {
        setHtml(QStringLiteral("<p style='color:gray'>%1</p>")
                    .arg(tr("Select a request to see all it carries.").toHtmlEscaped()));
        return;
    }
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='1'>");
    for (const auto &[name, value] : fields(*event))
        html += QStringLiteral("<tr><td style='color:gray; padding-right:8px'>%1</td>"
                               "<td>%2</td></tr>")
                    .arg(name.toHtmlEscaped(), value.toHtmlEscaped());
    setHtml(html + QStringLiteral("</table>"));
}

QSize TapDetails::minimumSizeHint() const
{
    return {120, 60};
}

} // namespace meshscope::ui
