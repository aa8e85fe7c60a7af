#pragma once

// Runs curl (with -sS) as an outside client: its exit code and what it wrote to stdout.

#include <QByteArray>
#include <QDebug>
#include <QProcess>
#include <QStringList>

namespace meshscope::testing {

struct Curl {
    int exitCode = -1;
    QByteArray out;
};

// `input`, when not null, goes to curl's stdin (for --data-binary @-).
inline Curl runCurl(const QStringList &args, const QByteArray &input = {}, int timeoutMs = 60000)
{
    QProcess curl;
    curl.start(QStringLiteral("curl"), QStringList {QStringLiteral("-sS")} + args);
    if (!input.isNull()) {
        curl.waitForStarted();
        curl.write(input);
        curl.closeWriteChannel();
    }
    Curl result;
    if (curl.waitForFinished(timeoutMs) && curl.exitStatus() == QProcess::NormalExit)
        result.exitCode = curl.exitCode();
    result.out = curl.readAllStandardOutput();
    if (result.exitCode != 0)
        qInfo() << "curl" << args << "exit" << result.exitCode << curl.readAllStandardError();
    return result;
}

} // namespace meshscope::testing
