"""Letters pdflatex's base fonts lack: accents built over their letter, a '?' for other scripts."""
import pytest

from drills.texchars import as_typed, declarations, stand_in


@pytest.mark.parametrize("char,tex,exact", [
    ("ễ", r"\~{\^{e}}", True),                  # Vietnamese: two accents, stacked
    ("ị", r"\d{i}", True),
    ("ǎ", r"\v{a}", True),
    ("ư", "u", False),                           # a horn: T1 has none
    ("ħ", "h", False),                           # a stroke: no decomposition at all
    ("王", "?", False),
    ("Ж", "?", False),
])
def test_a_letter_pdflatex_lacks_gets_a_stand_in(char, tex, exact):
    assert stand_in(char) == (tex, exact)


def test_only_what_latex_does_not_know_is_declared():
    assert declarations("Zoë O’Brien, Łukasz, José <b> & \"x\"") == ""
    assert declarations("Nguyễn 王") == "\\DeclareUnicodeCharacter{1EC5}{\\~{\\^{e}}}\n\\DeclareUnicodeCharacter{738B}{?}"
    assert declarations("Jose\u0301") == ""              # typed decomposed: composed first, é is known


@pytest.mark.parametrize("name,typed", [("Nguyễn Thị Minh Khai", True), ("Søren Kierkegaard", True),
                                        ("Trương", False), ("王小明", False), ("Анна", False)])
def test_as_typed(name, typed):
    assert as_typed(name) is typed
