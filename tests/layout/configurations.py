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
    language: str = "en"  # "en-XA": every text accented and 40% longer, as a translation may make it

    @property
    def arguments(self) -> list[str]:
        arguments = ["--size", self.size, "--scale", f"{self.scale:g}", "--font", self.font]
        for palette in self.palettes:
            arguments += ["--palette", palette]
        if self.language != "en":
            arguments += ["--lang", self.language]
        return arguments + (["--focus"] if self.focus else [])

    def __str__(self) -> str:
        language = "" if self.language == "en" else f"-{self.language}"
        return f"{self.size}@{round(self.scale * 100)}%-{self.font}-{'+'.join(self.palettes)}{language}"


# What the layout tests check on every run of make test. The hardest screen (150%, wide font) is walked in the
# pseudo-language: what fits there in texts 40% longer than English fits in English, and in Welsh.
CHECKED = (
    Screen("1366x768", 1.0, "wide", ("light", "dark", "contrast"), focus=True),
    Screen("1366x768", 1.0, "narrow"),
    Screen("1366x768", 1.5, "wide", language="en-XA"),
    Screen("1366x768", 1.5, "narrow"),
    Screen("1920x1080", 1.0, "wide"),
)

# What make screenshots draws for people to look at.
PICTURED = (
    Screen("1366x768", 1.0, "wide", ("light", "dark")),
    Screen("1366x768", 1.5, "wide", ("light", "dark")),
    Screen("1920x1080", 1.0, "wide", ("light", "dark")),
)
