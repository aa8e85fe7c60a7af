#pragma once

#include <QGroupBox>
#include <QString>
#include <QVBoxLayout>

namespace meshscope::ui {

// `content` in a group box titled `title`: the sections of the side panel's pages.
inline QGroupBox *titledGroup(const QString &title, QWidget *content, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(content);
    return box;
}

} // namespace meshscope::ui
