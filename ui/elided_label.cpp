#include "ui/elided_label.h"

#include <QFontMetrics>
#include <QResizeEvent>

#include <algorithm>

namespace meshscope::ui {

ElidedLabel::ElidedLabel(QWidget *parent)
    : QLabel(parent)
{
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    setTextFormat(Qt::PlainText);
    setWordWrap(false);
}

void ElidedLabel::setFullText(const QString &text)
{
    m_text = text;
    updateGeometry();
    elide();
}

QSize ElidedLabel::minimumSizeHint() const
{
    return {0, fontMetrics().height()};
}

QSize ElidedLabel::sizeHint() const
{
    // As wide as a short message, never as wide as a long one.
    return {
        std::min(fontMetrics().horizontalAdvance(m_text), 40 * fontMetrics().averageCharWidth()),
        fontMetrics().height()};
}

void ElidedLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    elide();
}

void ElidedLabel::elide()
{
    // One line: a line break in a message would make the label taller.
    QString line = m_text;
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    const QString shown = fontMetrics().elidedText(line, Qt::ElideRight, std::max(0, width()));
    if (text() != shown)
        setText(shown);
    setToolTip(shown != line ? m_text : QString());
}

} // namespace meshscope::ui
