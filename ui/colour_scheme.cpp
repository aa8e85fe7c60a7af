#include "ui/colour_scheme.h"

#include <QApplication>
#include <QPalette>
#include <QWidget>

namespace meshscope::ui::colours {

bool dark()
{
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

QColor health(models::Health health)
{
    const bool isDark = dark();
    switch (health) {
    case models::Health::Idle:
        return isDark ? QColor(0x80, 0x86, 0x8b) : QColor(0x9a, 0xa0, 0xa6);
    case models::Health::Healthy:
        return isDark ? QColor(0x81, 0xc9, 0x95) : QColor(0x1e, 0x8e, 0x3e);
    case models::Health::Warning:
        return isDark ? QColor(0xfd, 0xd6, 0x63) : QColor(0xe3, 0x74, 0x00);
    case models::Health::Failing:
        return isDark ? QColor(0xf2, 0x8b, 0x82) : QColor(0xd9, 0x30, 0x25);
    }
    return {};
}

BannerColours banner(bool warning)
{
    if (dark())
        return warning ? BannerColours {QColor(0x4a, 0x3f, 0x12), QColor(0xfd, 0xe2, 0x93)}
                       : BannerColours {QColor(0x5c, 0x2b, 0x29), QColor(0xf6, 0xae, 0xa9)};
    return warning ? BannerColours {QColor(0xfe, 0xef, 0xc3), QColor(0x3c, 0x2f, 0x00)}
                   : BannerColours {QColor(0xfc, 0xe8, 0xe6), QColor(0x5f, 0x21, 0x20)};
}

void paintBanner(QWidget *label, bool warning)
{
    const auto colours = banner(warning);
    QPalette palette = label->palette();
    palette.setColor(QPalette::Window, colours.background);
    palette.setColor(QPalette::WindowText, colours.text);
    label->setPalette(palette);
}

QColor connectionLight(models::MeshConnection::State state)
{
    using State = models::MeshConnection::State;
    switch (state) {
    case State::Connected:
        return QColor(0x2e, 0x9d, 0x4f);
    case State::Connecting:
    case State::StartingMeshd:
        return QColor(0xd9, 0x9a, 0x1e);
    case State::Idle:
    case State::Disconnected:
        return QColor(0xc8, 0x37, 0x2d);
    }
    return {};
}

} // namespace meshscope::ui::colours
