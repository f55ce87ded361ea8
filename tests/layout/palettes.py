"""The palettes the app is looked at in, besides the light one of the style: a dark theme, and a high-contrast
theme like Windows' "Night sky" (white text on black, yellow and cyan for what is chosen and what is a link)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QPalette

Role = QPalette.ColorRole


def _palette(colours: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    palette = QPalette()
    for role, name in colours.items():
        palette.setColor(role, QColor(name))
    for role in (Role.Text, Role.WindowText, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return palette


def dark_palette() -> QPalette:
    """Close to Windows 11's and GNOME's dark themes."""
    return _palette(
        {
            Role.Window: "#202020",
            Role.WindowText: "#f0f0f0",
            Role.Base: "#2b2b2b",
            Role.AlternateBase: "#323232",
            Role.Text: "#f0f0f0",
            Role.Button: "#2d2d2d",
            Role.ButtonText: "#f0f0f0",
            Role.BrightText: "#ffffff",
            Role.Highlight: "#3d7ad6",
            Role.HighlightedText: "#ffffff",
            Role.Link: "#8ab4f8",
            Role.ToolTipBase: "#2b2b2b",
            Role.ToolTipText: "#f0f0f0",
            Role.PlaceholderText: "#a8a8a8",
            Role.Light: "#505050",
            Role.Midlight: "#3a3a3a",
            Role.Mid: "#5a5a5a",
            Role.Dark: "#a0a0a0",
            Role.Shadow: "#000000",
        },
        "#8a8a8a",
    )


def high_contrast_palette() -> QPalette:
    """Like Windows' high-contrast "Night sky"."""
    return _palette(
        {
            Role.Window: "#000000",
            Role.WindowText: "#ffffff",
            Role.Base: "#000000",
            Role.AlternateBase: "#101010",
            Role.Text: "#ffffff",
            Role.Button: "#000000",
            Role.ButtonText: "#ffffff",
            Role.BrightText: "#ffffff",
            Role.Highlight: "#ffff00",
            Role.HighlightedText: "#000000",
            Role.Link: "#00ffff",
            Role.ToolTipBase: "#000000",
            Role.ToolTipText: "#ffffff",
            Role.PlaceholderText: "#c0c0c0",
            Role.Light: "#ffffff",
            Role.Midlight: "#c0c0c0",
            Role.Mid: "#ffffff",
            Role.Dark: "#ffffff",
            Role.Shadow: "#ffffff",
        },
        "#3ff23f",
    )


PALETTES: dict[str, Callable[[], QPalette]] = {"dark": dark_palette, "contrast": high_contrast_palette}
