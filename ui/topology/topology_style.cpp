#include "ui/topology/topology_style.h"

#include <QApplication>
#include <QFontInfo>
#include <QPalette>

#include <algorithm>
#include <cmath>
#include <memory>

#include "ui/colour_scheme.h"

namespace meshscope::ui {
namespace {
std::unique_ptr<TopologyStyle> &instance()
{
    static std::unique_ptr<TopologyStyle> style;
    return style;
}

bool darkPalette()
{
    return colours::dark();
}
} // namespace

const TopologyStyle &TopologyStyle::current()
{
    // Rebuilt whenever the application's palette is another one: every item reads its colours
    // here at paint time, so a light/dark switch recolours cards and edges alike.
    if (!instance() || instance()->m_palette != QApplication::palette().cacheKey())
        refresh();
    return *instance();
}

void TopologyStyle::refresh()
{
    instance().reset(new TopologyStyle);
}

TopologyStyle::TopologyStyle()
{
    const bool dark = darkPalette();
    const QPalette palette = QApplication::palette();
    m_palette = palette.cacheKey();
    nodeFill = palette.color(QPalette::Base);
    nodeFillSelected = palette.color(QPalette::Highlight).lighter(dark ? 60 : 185);
    text = palette.color(QPalette::Text);
    mutedText = palette.color(QPalette::PlaceholderText);
    labelBackground = palette.color(QPalette::Window);
    labelBackground.setAlpha(220);
    lock = dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x5f, 0xb4);
    dot = dark ? QColor(0xe8, 0xea, 0xed) : QColor(0x3c, 0x40, 0x43);
    selection = palette.color(QPalette::Highlight);
    stale = dark ? QColor(0x70, 0x74, 0x78) : QColor(0xa8, 0xab, 0xaf);
    groupFill = palette.color(QPalette::AlternateBase);
    groupFill.setAlpha(dark ? 150 : 190);
    groupText = mutedText;
    // In pixels: the items scale them against the zoom to keep them readable on screen.
    const double pixels = QFontInfo(QApplication::font()).pixelSize();
    nameFont = QApplication::font();
    nameFont.setPixelSize(static_cast<int>(std::max(13.0, pixels + 1)));
    nameFont.setBold(true);
    smallFont = QApplication::font();
    smallFont.setPixelSize(static_cast<int>(std::max(11.0, pixels - 1)));
    labelFont = smallFont;
    for (int health = 0; health < 4; ++health)
        for (int width = 0; width < 4; ++width)
            for (int dashed = 0; dashed < 2; ++dashed) {
                QPen pen(healthColour(static_cast<models::Health>(health)), 1.2 + width * 1.1);
                pen.setCapStyle(Qt::RoundCap);
                if (dashed)
                    pen.setStyle(Qt::DashLine);
                m_pens[health][width][dashed] = pen;
                pen.setColor(stale);
                m_stalePens[width][dashed] = pen;
            }
}

QColor TopologyStyle::healthColour(models::Health health) const
{
    return colours::health(health);
}

const QPen &TopologyStyle::edgePen(models::Health health, int widthBucket, bool dashed) const
{
    return m_pens[static_cast<int>(health)][std::clamp(widthBucket, 0, 3)][dashed ? 1 : 0];
}

const TopologyStyle::SizedFont &TopologyStyle::readable(const QFont &font, double minimumPixels,
                                                        double zoom) const
{
    const int pixels
        = std::max(font.pixelSize(), static_cast<int>(std::ceil(minimumPixels / zoom - 1e-9)));
    const auto key = std::make_pair(font.key(), pixels);
    auto it = m_sized.find(key);
    if (it == m_sized.end()) {
        QFont sized = font;
        sized.setPixelSize(pixels);
        it = m_sized.emplace(key, SizedFont {sized, QFontMetricsF(sized)}).first;
    }
    return it->second;
}

const QPen &TopologyStyle::stalePen(int widthBucket, bool dashed) const
{
    return m_stalePens[std::clamp(widthBucket, 0, 3)][dashed ? 1 : 0];
}

int TopologyStyle::widthBucket(double rps)
{
    if (rps >= 100)
        return 3;
    if (rps >= 10)
        return 2;
    if (rps >= 1)
        return 1;
    return 0;
}

} // namespace meshscope::ui
