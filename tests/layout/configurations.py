"""The screens the app is looked at on: the laptops charities have, at the scalings Windows gives them, with a wide
and a narrow font (from tests/data/fonts, never the machine's), in a light, a dark and a high-contrast palette."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Screen:
    size: str
    scale: float
    font: str
    palettes: tuple[str, ...] = ("light",)
    focus: bool = False  # also check that every kind of control shows its keyboard focus (slower)

    @property
    def arguments(self) -> list[str]:
        arguments = ["--size", self.size, "--scale", f"{self.scale:g}", "--font", self.font]
        for palette in self.palettes:
            arguments += ["--palette", palette]
        return arguments + (["--focus"] if self.focus else [])

    def __str__(self) -> str:
        return f"{self.size}@{round(self.scale * 100)}%-{self.font}-{'+'.join(self.palettes)}"


# What the layout tests check on every run of make test.
CHECKED = (
    Screen("1366x768", 1.0, "wide", ("light", "dark", "contrast"), focus=True),
    Screen("1366x768", 1.0, "narrow"),
    Screen("1366x768", 1.5, "wide"),
    Screen("1366x768", 1.5, "narrow"),
    Screen("1920x1080", 1.0, "wide"),
)

# What make screenshots draws for people to look at.
PICTURED = (
    Screen("1366x768", 1.0, "wide", ("light", "dark")),
    Screen("1366x768", 1.5, "wide", ("light", "dark")),
    Screen("1920x1080", 1.0, "wide", ("light", "dark")),
)
