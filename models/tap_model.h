#pragma once

#include <QAbstractTableModel>

#include <array>
#include <cstdint>
#include <deque>
#include <vector>

#include "telemetry/tap.h"

namespace meshscope::models {

// The live tap as a table in strict time order, newest first (as Linkerd's dashboard shows its
// tap): by the time each request started, requests that started in the same millisecond in the
// order they arrived, the later above. A request that finished late goes where it started, not
// on top. The oldest go past `capacity`. Only requests the filter lets through are kept, so a
// straggler of an older tap never shows under new filters; a new filter clears the rows. Paused,
// it keeps what it shows and counts what it did not add. Thread: GUI.
class TapModel : public QAbstractTableModel {
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

    // `events` as they arrived.
    void append(const std::vector<meshcore::telemetry::TapEvent> &events);
    // Clears the rows and keeps only requests `filter` lets through from now on.
    void setFilter(const meshcore::telemetry::TapFilter &filter);
    const meshcore::telemetry::TapFilter &filter() const { return m_filter; }
    void clear();
    void setPaused(bool paused);
    bool paused() const { return m_paused; }
    qint64 missedWhilePaused() const { return m_missed; }
    const meshcore::telemetry::TapEvent *eventAt(int row) const;
    // Whether some row has a value in `column` (views hide a column no row fills).
    bool columnFilled(int column) const;
    // The rows as tab-separated text (with a header line), for copying and exporting.
    QString toText(const QList<int> &rows, QChar separator = QLatin1Char('\t')) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    // A column became filled or empty (see columnFilled).
    void filledColumnsChanged();

private:
    struct Row {
        meshcore::telemetry::TapEvent event;
        std::uint64_t seq = 0; // the order of arrival
    };
    static bool newer(const Row &a, const Row &b);
    void insertSorted(std::vector<Row> rows); // newest first
    void trim();
    void count(const Row &row, int delta);
    unsigned filledColumns() const; // one bit per column
    QString text(const meshcore::telemetry::TapEvent &event, int column) const;
    QVariant sortValue(const meshcore::telemetry::TapEvent &event, int column) const;

    int m_capacity;
    std::deque<Row> m_rows; // newest first
    std::uint64_t m_nextSeq = 0;
    meshcore::telemetry::TapFilter m_filter;
    std::array<int, ColumnCount> m_filled {}; // rows with a value, per column
    bool m_paused = false;
    qint64 m_missed = 0;
};

} // namespace meshscope::models
