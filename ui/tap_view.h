#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace meshscope::models {
class TapModel;
class TapStream;
} // namespace meshscope::models

namespace meshscope::ui {

// Live requests (meshd's tap) as a table: filters by service, route, path and status class, pause,
// clear, copy the selected rows and export to CSV. The tap opens when the view is first shown,
// so an app nobody looks at does not make the proxies publish every request.
// Thread: GUI.
class TapView : public QWidget {
    Q_OBJECT
public:
    // Shows `model`, which `stream` feeds (models::ExplorerModels connects them).
    TapView(models::TapStream *stream, models::TapModel *model, QWidget *parent = nullptr);

    void setFilters(const QString &service, const QString &route, const QString &statusClass,
                    const QString &pathPrefix);
    // The query string the filters make: "service=api&status=5xx".
    QString query() const;
    void setPaused(bool paused);
    // After the app connected to another meshd: the tap opens there when next shown (at once if
    // shown).
    void retarget();
    void copySelection();
    bool exportCsv(const QString &file) const;

protected:
    void showEvent(QShowEvent *event) override;

private:
    void restart();
    void updateStatus();

    models::TapStream *m_stream;
    models::TapModel *m_model;
    QLineEdit *m_service;
    QLineEdit *m_route;
    QLineEdit *m_path;
    QComboBox *m_status;
    QPushButton *m_pause;
    QLabel *m_state;
    QTableView *m_table;
    bool m_started = false;
};

} // namespace meshscope::ui
