#pragma once

#include <QWidget>

#include "telemetry/tap.h"

class QComboBox;
class QLineEdit;
class QPushButton;
class QSplitter;
class QTimer;

namespace meshscope::models {
class TapModel;
class TapStream;
} // namespace meshscope::models

namespace meshscope::ui {

class ElidedLabel;
class TapDetails;
class TapTable;

// Live requests (meshd's tap) as a table, newest first, sortable by any column, with every field
// of the selected request beside it. Filters by service, route, path and status class apply as
// one types (after a pause of FilterDelayMs; Enter at once) and clear the rows of the old
// filters. Pause, clear, copy the selected rows and export to CSV. The tap opens when the view is
// first shown, so an app nobody looks at does not make the proxies publish every request.
// Thread: GUI.
class TapView : public QWidget {
    Q_OBJECT
public:
    static constexpr int FilterDelayMs = 300;

    // Shows `model`, which `stream` feeds (models::ExplorerModels connects them).
    TapView(models::TapStream *stream, models::TapModel *model, QWidget *parent = nullptr);
    ~TapView() override;

    // Sets the filter fields and applies them at once.
    void setFilters(const QString &service, const QString &route, const QString &statusClass,
                    const QString &pathPrefix);
    // The query string the filters make: "service=api&status=5xx".
    QString query() const;
    meshcore::telemetry::TapFilter filter() const;
    void setPaused(bool paused);
    // After the app connected to another meshd: the tap opens there when next shown (at once if
    // shown).
    void retarget();
    void copySelection();
    bool exportCsv(const QString &file) const;

    TapTable *table() const { return m_table; }
    TapDetails *details() const { return m_details; }
    // What the status line says (the stream's state or error, in full; shown elided).
    QString statusText() const;

protected:
    void showEvent(QShowEvent *event) override;

private:
    QLayout *filterBar();
    void applyFilters();
    void restart();
    void updateStatus();

    models::TapStream *m_stream;
    models::TapModel *m_model;
    QLineEdit *m_service;
    QLineEdit *m_route;
    QLineEdit *m_path;
    QComboBox *m_status;
    QPushButton *m_pause;
    ElidedLabel *m_state;
    QSplitter *m_split;
    TapTable *m_table;
    TapDetails *m_details;
    QTimer *m_debounce;
    QString m_applied; // the query the rows are for
    bool m_started = false;
};

} // namespace meshscope::ui
