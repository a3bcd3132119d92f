"""Pure parts of programme loading: finding a cited excerpt and splitting the text for highlights."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from lotrinh.indicators.highlight import highlight
from lotrinh.indicators.parsing import locate

DOCUMENT = "3. Mục tiêu cụ thể\n- Tỉnh phấn đấu\nthứ hạng 30/63 địa phương về chính quyền điện tử."


def test_an_excerpt_is_found_across_a_line_break():
    start, end = locate(DOCUMENT, "Tỉnh phấn đấu thứ hạng 30/63")
    assert DOCUMENT[start:end] == "Tỉnh phấn đấu\nthứ hạng 30/63"


def test_an_excerpt_in_decomposed_unicode_is_found_in_a_composed_document():
    excerpt = unicodedata.normalize("NFD", "chính quyền điện tử")
    assert locate(DOCUMENT, unicodedata.normalize("NFC", excerpt)) is not None


def test_an_excerpt_that_is_not_there_is_reported_as_missing():
    assert locate(DOCUMENT, "thứ hạng 25/63") is None
    assert locate(DOCUMENT, "   ") is None


words = st.lists(
    st.text(alphabet="abcđêươ0123456789%,.", min_size=1, max_size=6), min_size=1, max_size=12
)


@given(words, st.data())
def test_any_run_of_words_is_found_whatever_the_whitespace(tokens, data):
    separators = [data.draw(st.sampled_from([" ", "\n", "  ", "\t"])) for _ in tokens]
    document = "".join(token + sep for token, sep in zip(tokens, separators, strict=True))
    i = data.draw(st.integers(0, len(tokens) - 1))
    j = data.draw(st.integers(i + 1, len(tokens)))
    span = locate(document, " ".join(tokens[i:j]))
    assert span is not None
    assert document[span[0] : span[1]].split() == tokens[i:j] or " ".join(tokens[i:j]) in " ".join(
        document.split()
    )


def test_highlight_merges_overlapping_spans_and_keeps_every_anchor():
    segments = highlight("abcdefghij", [(2, 5, "t1"), (4, 7, "t2"), (8, 9, "b1")])
    assert [(s.text, s.anchors, s.highlighted) for s in segments] == [
        ("ab", [], False),
        ("cdefg", ["t1", "t2"], True),
        ("h", [], False),
        ("i", ["b1"], True),
        ("j", [], False),
    ]
    assert "".join(s.text for s in segments) == "abcdefghij"
