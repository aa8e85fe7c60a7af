#include "models/checks_model.h"
#include "models/health.h"

#include <algorithm>

namespace meshscope::models {

using CheckStatus = meshcore::admin::CheckInfo::Status;

bool CheckRow::operator==(const CheckRow &other) const
{
    return check.name == other.check.name && check.status == other.check.status
        && check.message == other.check.message && check.hint == other.check.hint
        && check.title == other.check.title && check.subjects == other.check.subjects;
}

void ChecksModel::setReport(const meshcore::admin::ChecksReport *report)
{
    std::vector<CheckRow> rows;
    if (report)
        for (const auto &check : report->checks)
            rows.push_back({check});
    apply(std::move(rows));
}

int ChecksModel::failing() const
{
    return static_cast<int>(std::count_if(rows().begin(), rows().end(), [](const CheckRow &r) {
        return r.check.status == CheckStatus::Fail;
    }));
}

int ChecksModel::warning() const
{
    return static_cast<int>(std::count_if(rows().begin(), rows().end(), [](const CheckRow &r) {
        return r.check.status == CheckStatus::Warn;
    }));
}

QVariant ChecksModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    static const char *const Titles[ColumnCount]
        = {"State", "Check", "What meshd sees", "What to do"};
    if (role == Qt::DisplayRole)
        return tr(Titles[section]);
    return {};
}

QVariant ChecksModel::cell(const CheckRow &row, int column, int role) const
{
    const auto &c = row.check;
    if (role == SortRole && column == State)
        return c.status == CheckStatus::Fail ? 0 : c.status == CheckStatus::Warn ? 1 : 2;
    if (role == StatusRole && column == State)
        return static_cast<int>(c.status == CheckStatus::Fail       ? Health::Failing
                                    : c.status == CheckStatus::Warn ? Health::Warning
                                                                    : Health::Healthy);
    if (role == Qt::ToolTipRole)
        return QString::fromStdString(c.message + (c.hint.empty() ? "" : "\n\nHint: " + c.hint));
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (column) {
    case State:
        return c.status == CheckStatus::Fail ? tr("✖ fail")
            : c.status == CheckStatus::Warn  ? tr("‼ warn")
                                             : tr("✔ pass");
    case Check:
        return QString::fromStdString(c.title);
    case Message:
        return c.message.empty() ? tr("ok") : QString::fromStdString(c.message);
    case Hint:
        return QString::fromStdString(c.hint);
    default:
        return {};
    }
}

} // namespace meshscope::models
