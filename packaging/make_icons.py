"""Draw the app icon and write it for Qt (PNG), Windows (ICO) and macOS (ICNS) under ``resources/icons``.

Run again only to change the design: ``.venv/bin/python packaging/make_icons.py``. The outputs are committed,
so a build never depends on this script (Pillow comes with reportlab).

The design echoes the workshop matrix: a rounded square in four quadrants, one colour per column,
"Already doing", "Could do more", "Support needed", "Barriers/concerns".
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
NAME = "cohesion-desktop"
QUADRANTS = ("#2E8B57", "#1F78B4", "#F0A202", "#C8414B")  # top-left, top-right, bottom-left, bottom-right
# Drawn large and scaled down: Pillow's shapes are not anti-aliased, so scaling is what smooths the edges.
CANVAS = 1024
MARGIN = 64  # macOS and Windows both expect some transparent room around the shape
RADIUS = 180
GAP = 48


def draw(size: int = CANVAS) -> Image.Image:
    """The icon as an RGBA image of ``size`` pixels square."""
    big = Image.new("RGBA", (CANVAS, CANVAS), (0, 0, 0, 0))
    low, high, middle = MARGIN, CANVAS - MARGIN, CANVAS // 2
    half = GAP // 2
    boxes = (
        (low, low, middle - half, middle - half),
        (middle + half, low, high, middle - half),
        (low, middle + half, middle - half, high),
        (middle + half, middle + half, high, high),
    )
    # Each quadrant is cut out of one rounded square, so only the outer corners are rounded.
    mask = Image.new("L", (CANVAS, CANVAS), 0)
    ImageDraw.Draw(mask).rounded_rectangle((low, low, high, high), radius=RADIUS, fill=255)
    for box, colour in zip(boxes, QUADRANTS, strict=True):
        tile = Image.new("L", (CANVAS, CANVAS), 0)
        ImageDraw.Draw(tile).rectangle(box, fill=255)
        big.paste(colour, (0, 0), ImageChops.darker(tile, mask))
    return big if size == CANVAS else big.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    icon = draw()
    draw(256).save(ICONS / f"{NAME}.png", optimize=True)
    icon.save(ICONS / f"{NAME}.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    icon.save(ICONS / f"{NAME}.icns")
    for path in sorted(ICONS.glob(f"{NAME}.*")):
        print(f"{path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
