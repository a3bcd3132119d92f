"""The Vietnamese catalogue is complete, and the compiled .mo matches the .po."""

from collections import Counter
from pathlib import Path

import polib
from django.utils import translation
from django.utils.translation import gettext

PO = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_vietnamese_translation():
    catalogue = polib.pofile(str(PO))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_every_string_is_defined_once():
    # GNU gettext refuses a catalogue with a message defined twice (makemessages would fail).
    counts = Counter((e.msgctxt, e.msgid) for e in polib.pofile(str(PO)))
    assert [key for key, count in counts.items() if count > 1] == []


def test_compiled_catalogue_is_up_to_date():
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(PO.with_suffix(".mo")))}
    source = {e.msgid: e.msgstr for e in polib.pofile(str(PO)) if not e.msgid_plural and e.msgid}
    assert {k: compiled.get(k) for k in source} == source, "Run scripts/compile_messages.py"


def test_the_interface_speaks_vietnamese_by_default():
    with translation.override("vi"):
        assert gettext("Programmes") == "Chương trình"
