"""generator.textscan: the quick look that lets most files skip the line-by-line scan never
skips a file that the scan would find something in."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import textscan

# the characters the scan's rules care about, and enough ordinary ones around them
ALPHABET = st.sampled_from(list("ab_1 -:：\t\u3000\u00a0\u200b\ufeff\u00ad\r\n注意") + ["key", "  - ", "name"])


@settings(max_examples=1000, deadline=None)
@given(st.lists(ALPHABET, max_size=30).map("".join))
def test_quick_look_agrees_with_the_full_scan(text):
    full = list(textscan._scan("x.yaml", text))
    if full:
        assert textscan._may_have_problems(text)
    assert textscan.scan_text("x.yaml", text) == full[:textscan.MAX_PROBLEMS] + (
        [textscan.too_many("x.yaml", full[textscan.MAX_PROBLEMS].line, full[textscan.MAX_PROBLEMS].col)]
        if len(full) > textscan.MAX_PROBLEMS else [])


def test_a_full_width_colon_in_text_is_not_suspect():
    assert not textscan._may_have_problems("description: 注意：周末休息\nnote: 说明：无\n")
    assert textscan._may_have_problems("description: x\nnote：无\n")
    assert textscan._may_have_problems("a: 1\r  - note ：无\n")
