#pragma once

#include <QLabel>

namespace meshscope::ui {

// One line of text that never widens its window: too long for its width, it ends in "…" and the
// whole text is its tooltip. It asks for no width of its own (minimumSizeHint is 0 wide), so a
// long error from meshd or curl cannot push a panel off the screen. Thread: GUI.
class ElidedLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    void setFullText(const QString &text);
    const QString &fullText() const { return m_text; }

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void elide();

    QString m_text;
};

} // namespace meshscope::ui
