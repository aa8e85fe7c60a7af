#include "tests/support/temp_state.h"

namespace meshscope::testing {

TempState::TempState()
    : m_dir(QDir::tempPath() + QStringLiteral("/meshscope-test-XXXXXX"))
{
}

std::filesystem::path TempState::stateDir() const
{
    return std::filesystem::path(m_dir.path().toStdString()) / "state";
}

QString TempState::stateDirQString() const
{
    return QString::fromStdString(stateDir().string());
}

QString TempState::path(const QString &name) const
{
    return m_dir.filePath(name);
}

} // namespace meshscope::testing
