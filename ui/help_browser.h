#pragma once

#include <QDialog>

class QTextBrowser;

namespace meshscope::ui {

// Help > Documentation: Meshscope's own docs (the Markdown pages of docs/), read in the app, with
// their links between pages working and no network needed. Thread: GUI.
class HelpBrowser : public QDialog {
    Q_OBJECT
public:
    explicit HelpBrowser(QWidget *parent = nullptr);

    // Shows `page` ("explorer.md") of the docs, or says where the docs were looked for.
    void showPage(const QString &page);
    QTextBrowser *browser() const { return m_browser; }

    // Where the docs are: $MESHSCOPE_DOCS, the installed share/doc/meshscope/docs next to the
    // program, or the source tree's docs/ for a build that was not installed. "" when none.
    static QString documentationDirectory();

private:
    QTextBrowser *m_browser;
};

} // namespace meshscope::ui
