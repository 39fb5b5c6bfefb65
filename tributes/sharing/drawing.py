"""The candle we draw with Pillow: the site's icon and the emblem of a share card without a photo."""

from __future__ import annotations

import math

from PIL import ImageDraw

PAPER = (251, 247, 240)
INK = (43, 38, 34)
MUTED = (96, 86, 76)
WAX = (239, 230, 210)
WAX_EDGE = (138, 122, 92)
FLAME = (242, 169, 59)
FLAME_CORE = (255, 226, 150)
GLOW = (250, 222, 170)
NIGHT = (43, 38, 52)


def flame_outline(cx: float, base: float, height: float, width: float) -> list[tuple[float, float]]:
    """A teardrop standing on (cx, base), `height` tall: a round bottom and a pointed tip."""
    radius = width / 2
    centre_y = base - radius
    tip_y = base - height
    distance = centre_y - tip_y
    # The two points where lines from the tip touch the round bottom.
    alpha = math.acos(min(1.0, radius / distance))
    steps = 40
    points = [(cx, tip_y)]
    for i in range(steps + 1):
        angle = alpha + (2 * math.pi - 2 * alpha) * i / steps
        points.append((cx + radius * math.sin(angle), centre_y - radius * math.cos(angle)))
    return points


def draw_candle(
    draw: ImageDraw.ImageDraw, *, cx: float, top: float, bottom: float, width: float
) -> None:
    """A lit candle centred on `cx`: flame from `top`, wax down to `bottom`, `width` wide."""
    height = bottom - top
    flame_height = height * 0.42
    wax_top = top + flame_height + height * 0.06
    glow = width * 0.8
    draw.ellipse(
        (cx - glow, top - glow * 0.25, cx + glow, top + flame_height + glow * 0.55), fill=GLOW
    )
    draw.rounded_rectangle(
        (cx - width / 2, wax_top, cx + width / 2, bottom),
        radius=max(1, width * 0.08),
        fill=WAX,
        outline=WAX_EDGE,
        width=max(1, round(width * 0.04)),
    )
    wick = max(1, round(width * 0.05))
    draw.line((cx, wax_top - height * 0.07, cx, wax_top), fill=INK, width=wick)
    flame_base = wax_top - height * 0.05
    draw.polygon(flame_outline(cx, flame_base, flame_height, width * 0.55), fill=FLAME)
    draw.polygon(
        flame_outline(cx, flame_base - flame_height * 0.04, flame_height * 0.55, width * 0.28),
        fill=FLAME_CORE,
    )
