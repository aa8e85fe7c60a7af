#include "models/tap_model.h"

#include <algorithm>

#include "models/health.h"
#include "models/item_roles.h"

namespace meshscope::models {

namespace {

// Whether the column has something to show for this request (an empty column is hidden).
bool hasValue(const meshcore::telemetry::TapEvent &e, int column)
{
    switch (column) {
    case TapModel::Source:
        return !e.sourcePod.empty();
    case TapModel::Destination:
        return !e.destinationPod.empty() || !e.destinationService.empty();
    case TapModel::Method:
        return !e.method.empty();
    case TapModel::Path:
        return !e.authority.empty() || !e.path.empty();
    case TapModel::Route:
        return !e.route.empty();
    case TapModel::Retries:
        return e.retries > 0;
    case TapModel::Error:
        return !e.error.empty();
    default:
        return true;
    }
}

} // namespace

TapModel::TapModel(QObject *parent, int capacity)
    : QAbstractTableModel(parent)
    , m_capacity(std::max(1, capacity))
{
}

bool TapModel::newer(const Row &a, const Row &b)
{
    return a.event.unixMs != b.event.unixMs ? a.event.unixMs > b.event.unixMs : a.seq > b.seq;
}

void TapModel::append(const std::vector<meshcore::telemetry::TapEvent> &events)
{
    if (m_paused) {
        m_missed += static_cast<qint64>(events.size());
        return;
    }
    std::vector<Row> rows;
    rows.reserve(events.size());
    for (const auto &event : events)
        if (m_filter.matches(event))
            rows.push_back({event, m_nextSeq++});
    std::sort(rows.begin(), rows.end(), newer);
    if (rows.size() > static_cast<std::size_t>(m_capacity))
        rows.resize(static_cast<std::size_t>(m_capacity)); // only the newest can stay
    insertSorted(std::move(rows));
}

// Usually every new request is the newest: one block on top. A request that started before some
// shown one goes in its place.
void TapModel::insertSorted(std::vector<Row> rows)
{
    const unsigned filledBefore = filledColumns();
    for (const auto &row : rows)
        count(row, +1);
    std::size_t top = 0;
    while (top < rows.size() && (m_rows.empty() || newer(rows[top], m_rows.front())))
        ++top;
    if (top > 0) {
        beginInsertRows({}, 0, static_cast<int>(top) - 1);
        m_rows.insert(m_rows.begin(), std::make_move_iterator(rows.begin()),
                      std::make_move_iterator(rows.begin() + static_cast<long>(top)));
        endInsertRows();
    }
    for (auto it = rows.begin() + static_cast<long>(top); it != rows.end(); ++it) {
        const auto place = std::lower_bound(
            m_rows.begin(), m_rows.end(), *it,
            [](const Row &shown, const Row &incoming) { return newer(shown, incoming); });
        const int at = static_cast<int>(place - m_rows.begin());
        beginInsertRows({}, at, at);
        m_rows.insert(place, std::move(*it));
        endInsertRows();
    }
    trim();
    if (filledBefore != filledColumns())
        Q_EMIT filledColumnsChanged();
}

void TapModel::trim()
{
    const int excess = static_cast<int>(m_rows.size()) - m_capacity;
    if (excess <= 0)
        return;
    beginRemoveRows({}, m_capacity, m_capacity + excess - 1);
    for (auto it = m_rows.begin() + m_capacity; it != m_rows.end(); ++it)
        count(*it, -1);
    m_rows.resize(static_cast<std::size_t>(m_capacity));
    endRemoveRows();
}

void TapModel::count(const Row &row, int delta)
{
    for (int c = 0; c < ColumnCount; ++c)
        if (hasValue(row.event, c))
            m_filled[static_cast<std::size_t>(c)] += delta;
}

void TapModel::setFilter(const meshcore::telemetry::TapFilter &filter)
{
    m_filter = filter;
    clear();
}

void TapModel::clear()
{
    if (m_rows.empty())
        return;
    beginRemoveRows({}, 0, static_cast<int>(m_rows.size()) - 1);
    m_rows.clear();
    m_filled = {};
    endRemoveRows();
    Q_EMIT filledColumnsChanged();
}

void TapModel::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused)
        m_missed = 0;
}

const meshcore::telemetry::TapEvent *TapModel::eventAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size())
        ? &m_rows[static_cast<std::size_t>(row)].event
        : nullptr;
}

unsigned TapModel::filledColumns() const
{
    unsigned bits = 0;
    for (int c = 0; c < ColumnCount; ++c)
        if (columnFilled(c))
            bits |= 1U << static_cast<unsigned>(c);
    return bits;
}

bool TapModel::columnFilled(int column) const
{
    return column >= 0 && column < ColumnCount && m_filled[static_cast<std::size_t>(column)] > 0;
}

int TapModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

// What a column sorts by: numbers as numbers, times as milliseconds.
QVariant TapModel::sortValue(const meshcore::telemetry::TapEvent &e, int column) const
{
    switch (column) {
    case Time:
        return QVariant::fromValue<qint64>(e.unixMs);
    case Status:
        return e.status;
    case Latency:
        return e.latencyMs;
    case Retries:
        return e.retries;
    case Tls:
        return e.mtls ? 1 : 0;
    default:
        return text(e, column);
    }
}

QVariant TapModel::data(const QModelIndex &index, int role) const
{
    const auto *e = index.isValid() ? eventAt(index.row()) : nullptr;
    if (!e)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return text(*e, index.column());
    case SortRole:
        return sortValue(*e, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() == Status || index.column() == Latency || index.column() == Retries)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case StatusRole:
        if (e->status >= 500 || !e->error.empty() || !e->mtls)
            return static_cast<int>(Health::Failing);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Error && !e->error.empty())
            return QString::fromStdString(e->error);
        return tr("%1 → %2\nsource identity: %3\ndestination identity: %4")
            .arg(QString::fromStdString(e->sourcePod),
                 QString::fromStdString(e->destinationService),
                 QString::fromStdString(e->sourceIdentity.empty() ? "-" : e->sourceIdentity),
                 QString::fromStdString(e->destinationIdentity.empty() ? "-"
                                                                       : e->destinationIdentity));
    default:
        return {};
    }
}

} // namespace meshscope::models
