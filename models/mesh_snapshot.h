#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

#include <memory>

#include "admin/api_types.h"
#include "core/result.h"

namespace meshscope::models {

// One poll of meshd, as the worker saw it. Immutable once published; shared between threads.
struct PollResult {
    bool ok = false;
    meshcore::Error error;            // when !ok
    meshcore::admin::VersionInfo info; // when ok
    QDateTime at;
    qint64 roundTripMs = 0;
};

using PollResultPtr = std::shared_ptr<const PollResult>;

} // namespace meshscope::models

Q_DECLARE_METATYPE(meshscope::models::PollResultPtr)
