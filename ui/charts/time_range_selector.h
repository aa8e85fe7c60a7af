#pragma once

#include <QWidget>

class QButtonGroup;

namespace meshscope::ui {

// The time the charts cover, as three buttons side by side: 5 m, 15 m, 1 h (meshd keeps an
// hour). Thread: GUI.
class TimeRangeSelector : public QWidget {
    Q_OBJECT
public:
    static constexpr int Ranges[] = {5 * 60, 15 * 60, 60 * 60};

    explicit TimeRangeSelector(QWidget *parent = nullptr, int seconds = 15 * 60);

    int rangeSeconds() const { return m_seconds; }
    // Selects a range without telling anyone (restoring a setting); one not offered is refused.
    void setRangeSeconds(int seconds);

Q_SIGNALS:
    // The user chose another range.
    void rangeChanged(int seconds);

private:
    QButtonGroup *m_buttons;
    int m_seconds;
};

} // namespace meshscope::ui
