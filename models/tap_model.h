#pragma once

#include <vector>

#include "models/recent_rows_model.h"
#include "telemetry/tap.h"

namespace meshscope::models {

// The live tap as a table, newest first, the oldest going past `capacity`. Paused, it keeps what
// it shows and counts what it did not add. Thread: GUI.
class TapModel : public RecentRowsModel<meshcore::telemetry::TapEvent> {
    Q_OBJECT
public:
    enum Column {
        Time,
        Source,
        Destination,
        Method,
        Path,
        Status,
        Latency,
        Tls,
        Route,
        Retries,
        Error,
        ColumnCount
    };
    explicit TapModel(QObject *parent = nullptr, int capacity = 5000);

    void append(const std::vector<meshcore::telemetry::TapEvent> &events);
    void setPaused(bool paused);
    bool paused() const { return m_paused; }
    qint64 missedWhilePaused() const { return m_missed; }
    const meshcore::telemetry::TapEvent *eventAt(int row) const { return itemAt(row); }
    // The rows as tab-separated text (with a header line), for copying and exporting.
    QString toText(const QList<int> &rows, QChar separator = QLatin1Char('\t')) const;

    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QString text(const meshcore::telemetry::TapEvent &event, int column) const;

    bool m_paused = false;
    qint64 m_missed = 0;
};

} // namespace meshscope::models
