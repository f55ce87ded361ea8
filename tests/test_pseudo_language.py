"""The pseudo-language of the layout tests: every text of the catalogue 40% longer and accented, with everything a
program reads in it (placeholders, markup, mnemonics, a file dialog's patterns) left as it was."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from cohesion_desktop import i18n
from cohesion_desktop.i18n import _, ngettext, pgettext
from cohesion_desktop.pseudo_language import stretch

# What a program reads in a text; the pseudo-language must keep every one, in order.
READ_BY_PROGRAMS = re.compile(r"<[^<>]*>|&\w+;|\{[^{}]*\}|%L?\d+|%\([a-z_]+\)[sdr]|%[sd]|&&|&\w|\([^()]*\*[^()]*\)")


@pytest.fixture
def pseudo() -> None:
    i18n.set_language(i18n.PSEUDO_LANGUAGE)  # tests/conftest.py speaks English again afterwards


@pytest.mark.parametrize(
    "english",
    [
        "Save",
        "OK",
        "&Yes",
        "{n} partner",
        "<b>{theme}</b> in <b>{place}</b>: {n} partners",
        "{hours:,} hours – {share:.0%}",
        "%1 of %L2",
        "%(prog)s: error: %(message)s\n",
        "Partners &amp; places, R&&D",
        "<h3>No partners yet</h3><p>Add your first partner, or <a href='#import'>import a list</a>.</p>",
    ],
)
def test_a_text_grows_by_at_least_two_fifths_and_keeps_what_programs_read(english: str) -> None:
    shown = stretch(english)
    assert len(shown) >= 1.4 * len(english), shown
    assert READ_BY_PROGRAMS.findall(shown) == READ_BY_PROGRAMS.findall(english), shown
    if "{" in english:
        shown.format(n=3, theme="t", place="p", hours=1, share=0.5)  # its fields are still Python's
    assert "[" in shown and "]" in shown and shown != english


def test_its_letters_are_accented_but_a_mnemonic_keeps_its_letter_so_that_alt_still_reaches_it() -> None:
    assert stretch("Save").startswith("[Šåṽé ")
    assert stretch("&Save").startswith("[&Såṽé ")  # Alt+S, as in English
    assert stretch("Cu&t").startswith("[Çû&t ")


def test_markup_stays_outside_the_brackets_and_the_line_ends_outside_the_padding() -> None:
    assert re.fullmatch(r"<b>\[Ṁöšţ ṽöţéð [· ]+\]</b>", stretch("<b>Most voted</b>"))
    assert stretch("Problem:\n").endswith("]\n")


def test_a_file_dialogs_filters_keep_their_patterns_at_the_end_where_qt_reads_them() -> None:
    shown = stretch("Excel workbook (*.xlsx);;All files (*)")
    first, second = shown.split(";;")
    assert first.startswith("[Éẋçéļ ŵöŕķƀööķ ") and first.endswith("] (*.xlsx)")
    assert second.endswith("] (*)")


def test_nothing_to_read_is_left_as_it_is() -> None:
    assert stretch("  ") == "  "
    assert stretch("<br>") == "<br>"


def test_every_text_of_the_catalogue_keeps_what_programs_read_in_it() -> None:
    with i18n.template_path().open("rb") as stream:
        template = read_po(stream)
    changed = []
    for message in template:
        for english in message.id if isinstance(message.id, tuple) else (message.id,):
            if english and READ_BY_PROGRAMS.findall(stretch(english)) != READ_BY_PROGRAMS.findall(english):
                changed.append(english)
    assert not changed, changed[:10]


def test_the_interface_speaks_it_in_every_marked_text_and_no_other(pseudo: None) -> None:
    assert i18n.language() == "en-XA"
    assert _("Partners") == stretch("Partners")
    assert ngettext("{n} partner", "{n} partners", 1).format(n=1) == stretch("{n} partner").format(n=1)
    assert ngettext("{n} partner", "{n} partners", 2).format(n=2) == stretch("{n} partners").format(n=2)
    assert pgettext("month", "May") == stretch("May")
    # A text nobody marked is not in the catalogue: it stays plain English, which is how the walk shows it.
    assert _("A text nobody marked") == "A text nobody marked"


def test_it_is_never_offered_to_people() -> None:
    assert i18n.PSEUDO_LANGUAGE not in i18n.LANGUAGES
    assert i18n.PSEUDO_LANGUAGE not in i18n.EXPORT_LANGUAGES
