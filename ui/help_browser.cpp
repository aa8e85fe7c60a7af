#include "ui/help_browser.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace meshscope::ui {

HelpBrowser::HelpBrowser(QWidget *parent)
    : QDialog(parent)
    , m_browser(new QTextBrowser(this))
{
    setWindowTitle(tr("Meshscope documentation"));
    resize(900, 700);
    // Links to the web (Linkerd's docs, say) go to the browser; pages of ours stay here.
    m_browser->setOpenExternalLinks(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *back = buttons->addButton(tr("&Back"), QDialogButtonBox::ActionRole);
    auto *home = buttons->addButton(tr("&Contents"), QDialogButtonBox::ActionRole);
    connect(back, &QPushButton::clicked, m_browser, &QTextBrowser::backward);
    connect(m_browser, &QTextBrowser::backwardAvailable, back, &QPushButton::setEnabled);
    back->setEnabled(false);
    connect(home, &QPushButton::clicked, this,
            [this] { showPage(QStringLiteral("development.md")); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_browser);
    layout->addWidget(buttons);
}

QString HelpBrowser::documentationDirectory()
{
    QStringList candidates;
    if (const QString env = qEnvironmentVariable("MESHSCOPE_DOCS"); !env.isEmpty())
        candidates << env;
    candidates << QCoreApplication::applicationDirPath()
            + QStringLiteral("/../share/doc/meshscope/docs");
#ifdef MESHSCOPE_SOURCE_DOCS
    candidates << QStringLiteral(MESHSCOPE_SOURCE_DOCS);
#endif
    for (const auto &dir : candidates)
        if (QFileInfo::exists(dir + QStringLiteral("/explorer.md")))
            return QDir(dir).canonicalPath();
    return {};
}

void HelpBrowser::showPage(const QString &page)
{
    const QString dir = documentationDirectory();
    if (dir.isEmpty()) {
        m_browser->setMarkdown(
            tr("# Documentation not found\n\nMeshscope looked for its `docs/` folder in "
               "`$MESHSCOPE_DOCS`, in `%1/../share/doc/meshscope/docs` and in the source tree it "
               "was built from. Set `MESHSCOPE_DOCS` to a checkout's `docs/` folder.")
                .arg(QCoreApplication::applicationDirPath()));
    } else {
        m_browser->setSearchPaths({dir});
        m_browser->setSource(QUrl::fromLocalFile(dir + QLatin1Char('/') + page),
                             QTextDocument::MarkdownResource);
    }
    show();
    raise();
    activateWindow();
}

} // namespace meshscope::ui
