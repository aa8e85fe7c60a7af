#pragma once

#include <QTemporaryDir>

#include <filesystem>

namespace meshscope::testing {

// A private temporary state directory for one meshd, removed with the test.
class TempState {
public:
    TempState();
    std::filesystem::path stateDir() const;
    QString stateDirQString() const;
    QString path(const QString &name) const;

private:
    QTemporaryDir m_dir;
};

} // namespace meshscope::testing
