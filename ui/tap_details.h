#pragma once

#include <QTextBrowser>

#include <optional>

#include "telemetry/tap.h"

namespace meshscope::ui {

// Every field of one tapped request, beside the tap's table: the request, how it ended, both
// ends with their identities, and its times. Long values (a proxy error) wrap. Thread: GUI.
class TapDetails : public QTextBrowser {
    Q_OBJECT
public:
    explicit TapDetails(QWidget *parent = nullptr);

    // None: the hint to select a request.
    void showRequest(const std::optional<meshcore::telemetry::TapEvent> &event);
    const std::optional<meshcore::telemetry::TapEvent> &shown() const { return m_event; }
    // The fields shown, name and value, in order (what the HTML table holds).
    static QList<QPair<QString, QString>> fields(const meshcore::telemetry::TapEvent &event);

    QSize minimumSizeHint() const override;

private:
    std::optional<meshcore::telemetry::TapEvent> m_event;
};

} // namespace meshscope::ui
