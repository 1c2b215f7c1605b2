"""Text from outside the program (AWS names and policies, user notes, questionnaires)
made safe to show: nothing in it may move a terminal's cursor, change its title,
reorder text or hide text from the reader.

Every output uses ``clean``: the scan on what it keeps from AWS, every report format,
the plain mode and the progress lines.
"""

from __future__ import annotations

import re

# Control characters: terminal escapes start with one (ESC, the C1 CSI), BEL ends a
# title change, a carriage return overwrites the line. Newline and tab are kept.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Characters that are invisible or reorder what is shown, so that a reader sees
# something other than what is there: every Unicode "format" character (soft hyphen,
# the Arabic letter mark, the Mongolian vowel separator, zero-width characters,
# bidirectional embeddings, overrides and isolates, word joiner and invisible
# operators, byte order mark, interlinear annotations, the tag block that can spell
# hidden ASCII), plus the invisible letters and marks that are not classed as format
# characters (combining grapheme joiner, Hangul fillers, Khmer inherent vowels,
# Mongolian and Unicode variation selectors, which can also carry hidden bytes).
INVISIBLE = (
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160"
    "\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_DROP = re.compile(f"[{_CONTROLS}{INVISIBLE}]")
# Most text is ASCII, where only the controls can occur: a much smaller pattern.
_DROP_ASCII = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
# The Unicode line and paragraph separators: a line break in the author's eyes, but
# shown by no terminal as one (some draw nothing, some move the cursor).
_SEPARATORS = re.compile("[\u2028\u2029]")


def clean(text: str) -> str:
    """Drop control characters (terminal escapes among them) and invisible or
    bidirectional characters; the Unicode line separators become newlines. Newlines
    and tabs are kept."""
    if text.isascii():
        return _DROP_ASCII.sub("", text)
    text = _DROP.sub("", text)
    if "\u2028" in text or "\u2029" in text:
        text = _SEPARATORS.sub("\n", text)
    return text
