"""The forms phrase detectors match on, and the encoded runs hidden inside a text.

- `normalise`: NFKC, case folded, invisible characters gone, whitespace collapsed.
  PII and secret detectors use it; its behaviour is kept stable.
- `skeleton`: `normalise`, then look-alike letters (Cyrillic, Greek, Armenian, small
  capitals, enclosed and regional-indicator letters) folded to ASCII, diacritics and
  combining marks dropped, typographic quotes and dashes made plain, letter-spaced
  words (`i g n o r e`, `i.g.n.o.r.e`) joined and leetspeak digits read as letters in
  words that mix both (`1gn0r3`). Injection detection matches on it.
- `decoded_views`: text hidden in base64, hex, URL or HTML/unicode escapes, ROT13,
  reversed writing and Unicode tag characters, decoded so it can be scanned too.
  Bounded (see `MAX_*`): time is linear in the text, and the decoded text is at most
  `MAX_VIEWS * MAX_VIEW_CHARS` characters, whatever the input.

Every form comes with offsets: output character `i` came from input character
`offsets[i]`, so a match in a form can be reported as a span of the original text.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import functools
import html
import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

_TAGS = range(0xE0000, 0xE0080)
_VARIATION_SELECTORS = (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))
# Zero-width space/joiners, word joiner and invisible operators, BOM, soft hyphen,
# Mongolian vowel separator and free variation selectors, combining grapheme joiner,
# Hangul and Khmer fillers, bidirectional marks, embeddings, overrides and isolates,
# tag characters and variation selectors: nothing a reader sees, all usable to split
# a word so that a plain substring match misses it.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u180b\u180c\u180d"
    "\u034f\u115f\u1160\u3164\uffa0\u17b4\u17b5"
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    + "".join(map(chr, (*_TAGS, *_VARIATION_SELECTORS)))
)

# Letters that look like ASCII ones but that NFKC leaves alone, as (look-alike, ASCII)
# pairs, applied before case folding so that Greek capital eta (like H) and small eta
# (like n) each fold to what they look like.
_LOOK_ALIKE_PAIRS = (
    # Cyrillic
    "АA ВB ЕE КK МM НH ОO РP СC ТT ХX УY ЅS ІI ЈJ ԚQ ԜW ҮY ҺH ӀI ЁE "  # noqa: RUF001 (the look-alikes are the point)
    "аa вb гr еe ёe һh іi їi јj кk мm нh оo пn рp сc тt уy ўy хx ѕs ԁd ԛq ԝw ӏl ьb ѵv үy "  # noqa: RUF001 (the look-alikes are the point)
    # Greek
    "ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX "  # noqa: RUF001 (the look-alikes are the point)
    "αa βb γy εe ηn ιi κk μu νv οo ρp τt υu χx ωw ϲc ϳj ςc "  # noqa: RUF001 (the look-alikes are the point)
    # Armenian, Latin letters outside ASCII and small capitals
    "օo ոn սu հh ցg զq ɑa ɡg ɩi ıi ȷj ʋu ɪi ɴn ʀr ʏy ʟl ʜh ɢg ʙb "  # noqa: RUF001 (the look-alikes are the point)
    "ᴀa ᴄc ᴅd ᴇe ꜰf ᴊj ᴋk ᴍm ᴏo ᴘp ꞯq ꜱs ᴛt ᴜu ᴠv ᴡw ᴢz "  # noqa: RUF001 (the look-alikes are the point)
    # Typographic quotes and dashes
    "‘' ’' ‚' ‛' ′' ‹' ›' “\" ”\" „\" ‟\" ″\" «\" »\" –- —- −- ‐- ‑-"  # noqa: RUF001 (the look-alikes are the point)
)
_LOOK_ALIKES = {ord(pair[0]): pair[1] for pair in _LOOK_ALIKE_PAIRS.split()}
# Enclosed letters NFKC leaves alone: negative circled, negative squared, regional
# indicators (🇮🇬...).
_LETTER_BLOCKS = ((0x1F150, 0x1F169), (0x1F170, 0x1F189), (0x1F1E6, 0x1F1FF))
_FOLD_CACHE_LIMIT = 65_536


def _plain(char: str) -> str:
    """One character as `normalise` sees it: NFKC, case folded, whitespace as a space,
    invisibles as nothing."""
    if char in INVISIBLE:
        return ""
    folded = unicodedata.normalize("NFKC", char).casefold()
    return "".join(" " if c.isspace() else c for c in folded if c not in INVISIBLE)


def _skeletal(char: str) -> str:
    """One character as `skeleton` sees it: NFKC, look-alikes folded, case folded,
    decomposed with its marks dropped, whitespace as a space, invisibles as nothing."""
    code = ord(char)
    for first, last in _LETTER_BLOCKS:
        if first <= code <= last:
            return chr(ord("a") + code - first)
    if char in INVISIBLE:
        return ""
    folded = unicodedata.normalize("NFKC", char).translate(_LOOK_ALIKES).casefold()
    return "".join(
        " " if c.isspace() else c
        for c in unicodedata.normalize("NFD", folded)
        if c not in INVISIBLE and not unicodedata.combining(c)
    )


def _cleaned(char: str) -> str:
    """One character with invisibles removed and compatibility forms folded, case kept."""
    if char in INVISIBLE:
        return ""
    return "".join(c for c in unicodedata.normalize("NFKC", char) if c not in INVISIBLE)


_ASCII_OR_ONE = re.compile(r"(?P<ascii>[\x20-\x7e]+)|(?P<other>.)", re.DOTALL)


def _map(
    text: str, fold: Callable[[str], str], cache: dict[str, str], fold_ascii: Callable[[str], str]
) -> tuple[str, list[int]]:
    """`text` mapped character by character, with the origin of every output character.

    Printable ASCII runs are folded in one call (the common case, and why this is fast);
    every other character goes through `fold`, whose results are cached."""
    parts: list[str] = []
    offsets: list[int] = []
    for match in _ASCII_OR_ONE.finditer(text):
        start = match.start()
        run = match.group("ascii")
        if run is not None:
            parts.append(fold_ascii(run))
            offsets.extend(range(start, start + len(run)))
            continue
        char = match.group("other")
        mapped = cache.get(char)
        if mapped is None:
            mapped = fold(char)
            if len(cache) < _FOLD_CACHE_LIMIT:
                cache[char] = mapped
        parts.append(mapped)
        offsets.extend([start] * len(mapped))
    return "".join(parts), offsets


def _remove(
    text: str, offsets: list[int], spans: Iterable[tuple[int, int]]
) -> tuple[str, list[int]]:
    """`text` without the characters in `spans` (in order, not overlapping)."""
    parts: list[str] = []
    kept: list[int] = []
    position = 0
    for start, end in spans:
        parts.append(text[position:start])
        kept.extend(offsets[position:start])
        position = end
    if position == 0:
        return text, offsets
    parts.append(text[position:])
    kept.extend(offsets[position:])
    return "".join(parts), kept


_SPACE_RUN = re.compile(r" {2,}")


def _collapse_spaces(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    return _remove(text, offsets, ((m.start() + 1, m.end()) for m in _SPACE_RUN.finditer(text)))


_PLAIN_CACHE: dict[str, str] = {}
_SKELETAL_CACHE: dict[str, str] = {}
_CLEANED_CACHE: dict[str, str] = {}


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text` normalised (see `normalise`) and, for each of its characters, the index
    of the character of `text` it came from: a match `[s, e)` in the normalised form
    covers `[offsets[s], offsets[e - 1] + 1)` of `text`.

    Each character is normalised on its own (NFKC, then casefold), so that every
    output character has exactly one origin; for the ASCII phrases the detectors
    look for, that equals normalising the whole string.
    """
    return _collapse_spaces(*_map(text, _plain, _PLAIN_CACHE, str.lower))


def normalise(text: str) -> str:
    """NFKC (full-width and compatibility forms folded to their plain letters), case
    folded, zero-width and other invisible characters removed, every run of
    whitespace collapsed to one space."""
    return normalise_with_offsets(text)[0]


# Single letters spaced out: `i g n o r e  a l l` (one space inside a word, two or
# three between words; single digits and punctuation marks after the first letter,
# as in `y o u ' r e .` or `s y s t e m | >`, belong to the run) and `i.g.n.o.r.e` /
# `i-g-n-o-r-e` (one separator per word).
_SPACED_MEMBER = r"[a-z0-9!\"#$%&'()*+,./:;<=>?@\[\\\]^_`{|}~-]"
_SPACED_LETTERS = re.compile(
    rf"(?<![\w'])[a-z](?![\w'])(?: {{1,3}}{_SPACED_MEMBER}(?![\w']))*(?: {{1,3}}[a-z](?![\w']))"
    rf"(?: {{1,3}}{_SPACED_MEMBER}(?![\w'])){{2,}}"
)
_SEPARATED_LETTERS = re.compile(r"(?<!\w)[a-z](?P<sep>[.\-_*|/+~])[a-z](?:(?P=sep)[a-z]){1,}(?!\w)")
# What every match of those holds: two spaced members in a row, a separator and a letter
# twice. Begun by a space or a separator, they are searched for fast; the patterns above
# begin with a lookbehind and are tried at every character, so only texts holding these
# (few) pay for them.
_SPACED_PAIR = re.compile(rf" {_SPACED_MEMBER}(?![\w']) {{1,3}}{_SPACED_MEMBER}(?![\w'])")
_SEPARATED_PAIR = re.compile(r"([.\-_*|/+~])[a-z]\1[a-z]")
# Words mixing letters with the digits and signs leetspeak writes letters with.
_LEET_WORD = re.compile(r"(?<![a-z0-9@$])(?=[a-z0-9@$]*[a-z])(?=[a-z0-9@$]*[013457@$])[a-z0-9@$]+")
_LEET = str.maketrans("013457@$", "oieastas")


def _letter_gaps(form: str) -> Iterator[tuple[int, int]]:
    """The separators to drop from letter-spaced words; of a wider gap between two
    spaced words, all but one space."""
    for match in _SPACED_LETTERS.finditer(form) if _SPACED_PAIR.search(form) else ():
        for gap in re.finditer(" +", match.group()):
            start, end = match.start() + gap.start(), match.start() + gap.end()
            yield (start, end) if end - start == 1 else (start + 1, end)
    # Rarer, so a second pass over the form is cheap enough.
    for match in _SEPARATED_LETTERS.finditer(form) if _SEPARATED_PAIR.search(form) else ():
        for index in range(match.start() + 1, match.end(), 2):
            yield index, index + 1


def skeleton_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text` in the form injection detection matches on (see the module docstring),
    with the origin of each character as in `normalise_with_offsets`."""
    form, offsets = _map(text, _skeletal, _SKELETAL_CACHE, str.lower)
    gaps = sorted(_letter_gaps(form))
    if gaps:
        form, offsets = _remove(form, offsets, gaps)
    form, offsets = _collapse_spaces(form, offsets)
    if any(c in form for c in "013457@$"):
        form = _LEET_WORD.sub(lambda m: m.group().translate(_LEET), form)
    return form, offsets


def skeleton(text: str) -> str:
    """The form of `text` injection detection matches on; see `skeleton_with_offsets`."""
    return skeleton_with_offsets(text)[0]


_LINE_FOLD = {code: ascii_char.lower() for code, ascii_char in _LOOK_ALIKES.items()}
# Tested first: a set test of the text is several times cheaper than `str.translate` with
# a dict, and most texts outside ASCII have no look-alike letter to fold.
_LINE_FOLD_CHARS = frozenset(map(chr, _LINE_FOLD))


def lines_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text` with its line breaks, for patterns that need line starts: invisibles
    removed, compatibility forms and look-alike letters folded, ASCII lower case."""
    clean, offsets = cleaned_with_offsets(text)
    plain = clean.isascii() or _LINE_FOLD_CHARS.isdisjoint(clean)
    return _ascii_lower(clean if plain else clean.translate(_LINE_FOLD)), offsets


def _ascii_lower(text: str) -> str:
    """`text` with ASCII letters lower-cased, others kept (so the length is kept).

    Outside ASCII, through UTF-8: `bytes.lower` changes only the bytes of ASCII letters,
    and every byte of a longer character is above them; in C, unlike a per-character
    `str.translate`."""
    if text.isascii():
        return text.lower()
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


@functools.lru_cache(maxsize=4)
def cleaned_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text` with invisible characters removed and compatibility forms (full-width
    letters and digits) folded, case kept: the form encoded runs are found in.

    Cached (the lines reading and the decoded views both start from it); callers must
    not change the offsets they get."""
    if text.isascii():
        return text, list(range(len(text)))
    return _map(text, _cleaned, _CLEANED_CACHE, str)


# ---------------------------------------------------------------------------------------
# Decoded views

MAX_VIEWS = 16
"""At most this many decoded views per text, nested ones included."""
MAX_VIEW_CHARS = 8_192
"""A decoded view is cut to this many characters."""
MAX_RUN_CHARS = 16_384
"""Of a longer encoded run only the first this many characters are decoded."""
MAX_DEPTH = 2
"""Views are decoded again (base64 inside hex...) at most this many levels deep."""
_MIN_PRINTABLE = 0.9
_LINE_CONTEXT = 1_024


@dataclass(frozen=True, slots=True)
class DecodedView:
    """Text found encoded in another: how it was encoded, the span `[start, end)` of
    the encoded run in the text given to `decoded_views`, and the decoded text."""

    encoding: str
    start: int
    end: int
    text: str


_LINE_BREAKS_AND_TABS = dict.fromkeys(map(ord, "\n\r\t"))


def _readable(data: bytes) -> str | None:
    """`data` as text if it is UTF-8 and nearly all printable, else None (binary)."""
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not decoded:
        return None
    if decoded.translate(_LINE_BREAKS_AND_TABS).isprintable():  # the common case, in C
        return decoded
    printable = sum(1 for c in decoded if c.isprintable() or c in "\n\r\t")
    return decoded if printable >= _MIN_PRINTABLE * len(decoded) else None


def _base64(run: str) -> str | None:
    body = run[:MAX_RUN_CHARS].rstrip("=").replace("-", "+").replace("_", "/")
    body = body[: len(body) - len(body) % 4] if len(body) % 4 == 1 else body
    try:
        data = base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    return _readable(data)


_HEX_NOISE = re.compile(r"\\x|0x|[ :,]")


def _hex(run: str) -> str | None:
    digits = _HEX_NOISE.sub("", run[:MAX_RUN_CHARS])
    try:
        return _readable(bytes.fromhex(digits[: len(digits) - len(digits) % 2]))
    except ValueError:
        return None


def _unescape(text: str) -> str:
    text = _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    return html.unescape(text)


def _rot13(text: str) -> str:
    return codecs.encode(text, "rot13")


def _reverse(text: str) -> str:
    return text[::-1]


def _line_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The line holding `[start, end)`, at most `_LINE_CONTEXT` characters either side."""
    line_start = text.rfind("\n", max(start - _LINE_CONTEXT, 0), start) + 1
    line_start = line_start or max(start - _LINE_CONTEXT, 0)
    line_end = text.find("\n", end, end + _LINE_CONTEXT)
    return line_start, min(len(text), end + _LINE_CONTEXT) if line_end < 0 else line_end


_TOKEN_REACH = 256
_TOKEN_HEAD = re.compile(rf"\S{{0,{_TOKEN_REACH}}}$")
_TOKEN_TAIL = re.compile(rf"\S{{0,{_TOKEN_REACH}}}")


def _token_around(text: str, start: int, end: int) -> tuple[int, int]:
    """`[start, end)` widened to the whitespace-free token(s) it lies in (bounded)."""
    head = _TOKEN_HEAD.search(text, max(start - _TOKEN_REACH, 0), start)
    tail = _TOKEN_TAIL.match(text, end)
    return (head.start() if head else start), (tail.end() if tail else end)


def _runs(hits: Iterable[re.Match[str]], gap: int) -> Iterator[tuple[int, int, int]]:
    """Hits grouped into runs `(start, end, hits)` of hits at most `gap` apart."""
    run: list[int] = []
    for hit in hits:
        if run and hit.start() - run[1] > gap:
            yield run[0], run[1], run[2]
            run = []
        run = [hit.start(), hit.end(), 1] if not run else [run[0], hit.end(), run[2] + 1]
    if run:
        yield run[0], run[1], run[2]


_WORD_TOKEN = re.compile(r"\w+")
# ASCII words: a set of them holds every word of `_WORD_TOKEN` that is a marker (markers
# are ASCII letters, and a character around such a word is not a word character), and
# is found in half the time. It only tells the texts without any marker apart.
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")
# What marks encoded runs in a text: its matches, given the text and the set of its ASCII
# words (`_ASCII_WORD`).
_Marks = Callable[[str, frozenset[str]], Iterator[re.Match[str]]]


def _marker_pattern(words: str, encode: Callable[[str], str]) -> _Marks:
    """The whole words of `text` that are among `words` encoded, in order: what
    `\b(?:word|...)\b` finds (the words are letters only), from one pass over the words
    of the text and a set lookup rather than an alternation tried at every character."""
    encoded = frozenset(encode(word) for word in words.split())

    def marks(text: str, words: frozenset[str]) -> Iterator[re.Match[str]]:
        # Plain text rarely holds a single encoded marker: found out from the set of its
        # `words`, without a Python step per word.
        if encoded.isdisjoint(words):
            return iter(())
        return (word for word in _WORD_TOKEN.finditer(text) if word.group() in encoded)

    return marks


def _with_sign(pattern: re.Pattern[str], signs: str) -> _Marks:
    """`pattern.finditer`, skipped on texts without any of the characters every match
    holds (a substring test is much cheaper than a pattern tried at every character)."""

    def found(text: str, _: frozenset[str]) -> Iterator[re.Match[str]]:
        if any(map(text.__contains__, signs)):
            return pattern.finditer(text)
        return iter(())

    return found


# Candidate runs.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX_RUN = re.compile(r"(?:(?:\\x|0x)?[0-9A-Fa-f]{2}[ :,]?){8,}+")
# Runs of the characters hex runs are made of, long enough for one: `_HEX_RUN` tried only
# there (a class is searched fast; `_HEX_RUN` is tried at every character).
_HEX_REGION = re.compile(r"[0-9A-Fa-f\\x :,]{16,}")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_ESCAPE = re.compile(r"&#[xX]?[0-9A-Fa-f]{1,6};|&[a-z]{2,6};|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})")
_TAG_RUN = re.compile("[\U000e0020-\U000e007e]{4,}")
# Common words of prompts, encoded: a line holding several of them close together is
# probably written in that code. Words whose code is itself English ("be" -> "or") are
# left out.
_ROT13_MARKERS = _marker_pattern(
    "the and you your all ignore previous instructions this with for now prompt system "
    "rules tell say what are have but not will must reveal secret password print over "
    "to as of in it is me my an do how from that can make write answer question any no",
    _rot13,
)
_REVERSED_MARKERS = _marker_pattern(
    "ignore previous instructions prompt system your the you all rules reveal secret "
    "password print forget disregard tell",
    _reverse,
)
# (encoding, what marks a run, fewest marks in a run, gap between marks, decoder); the
# decoder gets the whole line: encoded runs are often only part of a sentence, and the
# view should read the way the model would read it.
_LINE_CODES: tuple[tuple[str, _Marks, int, int, Callable[[str], str]], ...] = (
    ("url", _with_sign(_PERCENT, "%"), 2, 40, urllib.parse.unquote),
    ("escapes", _with_sign(_ESCAPE, "&\\"), 3, 40, _unescape),
    ("rot13", _ROT13_MARKERS, 3, 60, _rot13),
    ("reversed", _REVERSED_MARKERS, 2, 60, _reverse),
)


def _hex_runs(text: str) -> Iterator[re.Match[str]]:
    """`_HEX_RUN.finditer(text)`: every match lies in a run of `_HEX_REGION` (none crosses
    a character outside it, and one is at least 16 characters long)."""
    for region in _HEX_REGION.finditer(text):
        yield from _HEX_RUN.finditer(text, region.start(), region.end())


def _found(text: str) -> Iterator[DecodedView]:
    """Views decoded from `text` itself (one level), lazily: the caller stops pulling
    once it has enough. Work is linear in `len(text)`: runs do not overlap and each is
    decoded from at most `MAX_RUN_CHARS` characters."""
    for match in () if text.isascii() else _TAG_RUN.finditer(text):
        hidden = "".join(chr(ord(c) - 0xE0000) for c in match.group()[:MAX_RUN_CHARS])
        yield DecodedView("tags", match.start(), match.end(), hidden)
    clean, offsets = cleaned_with_offsets(text)

    def view(encoding: str, start: int, end: int, decoded: str) -> DecodedView:
        return DecodedView(encoding, offsets[start], offsets[end - 1] + 1, decoded)

    for encoding, runs, decode in (
        ("base64", _BASE64_RUN.finditer, _base64),
        ("hex", _hex_runs, _hex),
    ):
        for match in runs(clean):
            run = match.group().strip(" :,")
            if run.isalpha() and (run.islower() or run.isupper()):
                continue  # a long word in one case: not worth a try
            decoded = decode(run)
            if decoded is not None:
                yield view(encoding, match.start(), match.end(), decoded)
    lowered = _ascii_lower(clean)  # markers are lower case; same length
    words = frozenset(_ASCII_WORD.findall(lowered))
    for encoding, marks, fewest, gap, decode_line in _LINE_CODES:
        for start, end, count in _runs(marks(lowered, words), gap):
            if count < fewest:
                continue
            line_start, line_end = _line_around(clean, start, end)
            token_start, token_end = _token_around(clean, start, end)
            yield view(encoding, token_start, token_end, decode_line(clean[line_start:line_end]))


def decoded_views(text: str) -> tuple[DecodedView, ...]:
    """The texts hidden in `text` by an encoding (see the module docstring), decoded,
    each with the span of its encoded run in `text`. Views found inside a view are
    included, spanning the outer run. At most `MAX_VIEWS` views of at most
    `MAX_VIEW_CHARS` characters each: a text with more readable encoded runs than that
    has the rest left undecoded (callers may treat a full set as suspicious)."""
    views: list[DecodedView] = []
    pending: list[tuple[DecodedView | None, str, int]] = [(None, text, 1)]
    while pending and len(views) < MAX_VIEWS:
        outer, body, depth = pending.pop(0)
        for found in _found(body):
            view = DecodedView(
                found.encoding if outer is None else f"{outer.encoding}+{found.encoding}",
                found.start if outer is None else outer.start,
                found.end if outer is None else outer.end,
                found.text[:MAX_VIEW_CHARS],
            )
            views.append(view)
            if depth < MAX_DEPTH:
                pending.append((view, view.text, depth + 1))
            if len(views) >= MAX_VIEWS:
                break
    return tuple(views)
