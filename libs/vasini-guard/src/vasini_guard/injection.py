"""Prompt-injection and jailbreak detection: independent signals, weighed and combined.

How a text is read
- Its `skeleton` (see `normalise`): case, look-alike letters, accents, invisible
  characters, letter spacing and leetspeak no longer hide a phrase. Role-marker rules
  read the text with its line breaks instead.
- Words run together (twelve letters or more: letter-spaced text without word gaps,
  `IgnoreAllPreviousInstructions`) are matched against the same phrases without spaces.
- Its `decoded_views` (base64, hex, URL and HTML escapes, ROT13, reversed text, Unicode
  tag characters) are read the same way. A signal found only there is reported with the
  span of the encoded run and adds the `obfuscation` signal.
- Quoted pieces that the text asks to join (`a='ign' b='ore'... a+b`) are joined and
  read again (`payload splitting`).

The signals (`injection_signals`): instruction override, persona jailbreak,
restriction removal, privileged mode, system prompt extraction, fake role marker,
refusal suppression, payload splitting, obfuscation, indirect injection (text in a
document or tool result that addresses the AI; weighs more when the text shows it comes
from a document, a web page, an email or a tool) and fictional framing (a story or a
late grandmother around a request for something harmful).

How it stays fast
A rule is run only if the words it needs occur (`Rule.needs`), and then only where a
match can begin: rules whose matches start with known words at a word boundary (most
of them; the words are read off the compiled pattern) are tried at the starts of
words beginning that way, found from one index of the text's words, instead of at
every character. The matches are the ones `finditer` would find.

Scoring
Each rule that matches contributes its weight `w` in [0, 1] (the strongest of its
matches). A match that is quoted, or introduced as an example ("prompts like ..."),
in a text that discusses attacks, or that is reported speech ("tells the model to
ignore ..."), is damped by `MENTION_DAMPING`: mentioning an attack is not making one.
The score is the noisy-OR of the contributions, `1 - prod(1 - w)`: one strong match is
enough, weak ones add up, and the score never exceeds 1.

Thresholds
- `WARN_AT` = 0.5: one medium signal, such as a fake role marker, an instruction
  addressed to "the AI" inside a document, or a request for a privileged mode. Worth
  recording or a second look; not enough to refuse the input.
- `BLOCK_AT` = 0.8: one strong signal (an explicit override of previous
  instructions, a DAN persona, a request for the system prompt) or two medium ones
  together.
Both were set on the `dev` split of `libs/vasini-guard/corpus/`; the eval
(`bench/bench_guard_injection.py`) reports how they hold on the held-out split.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]
from typing import Any, Literal

from vasini_guard import injection_signals as signals
from vasini_guard.detection import Detection
from vasini_guard.injection_signals import RULES, Rule, Signal
from vasini_guard.normalise import (
    INVISIBLE,
    MAX_VIEWS,
    DecodedView,
    decoded_views,
    lines_with_offsets,
    skeleton_with_offsets,
)

WARN_AT = 0.5
BLOCK_AT = 0.8

Verdict = Literal["allow", "warn", "block"]

_SKELETON_RULES = tuple(rule for rule in RULES if not rule.on_lines)
_LINE_RULES = tuple(rule for rule in RULES if rule.on_lines)
# Compact rules, with the words they need also written without spaces.
_COMPACT_RULES = tuple(
    (rule, tuple(tuple(word.replace(" ", "") for word in group) for group in rule.needs))
    for rule in RULES
    if rule.compact is not None
)
_RUN_TOGETHER = re.compile(r"[a-z]{12,}")
_COMPACT_WINDOW = 64  # longer run-together words are read in overlapping windows
_MENTION_LOOKBACK = 400
_INTRODUCED_LOOKBACK = 40
_INVISIBLE_IN_WORD = re.compile(
    "(?<=[A-Za-z])[" + "".join(sorted(INVISIBLE - set(map(chr, range(0xE0000, 0xE0080))))) + "]+"
    "(?=[A-Za-z])"
)
_CYRILLIC_GREEK = re.compile("[\u0370-\u052f]")
_LATIN = re.compile("[A-Za-z]")
_WORD_REACH = 40
_WORD_HEAD = re.compile(rf"\w{{0,{_WORD_REACH}}}$")
_WORD_TAIL = re.compile(rf"\w{{0,{_WORD_REACH}}}")
_MIXED_SCRIPT_TRIES = 64
_QUOTE_APOSTROPHE = re.compile(r"(?<![a-z])'|'(?![a-z])")
_WORD = re.compile(r"\w+")
_PREFIX_CHARS = 3  # words are indexed by their first one to three characters
_WHOLE = "="  # and as whole words, under this mark


def _prefixes(items: list[Any], limit: int) -> set[str]:
    """Strings of at most `limit` characters one of which every match of the parsed
    pattern `items` starts with; "" among them means "no constraint"."""
    if not items or limit == 0:
        return {""}
    (op, av), rest = items[0], items[1:]
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):  # zero-width
        found = _prefixes(rest, limit)
    elif op is _sre.LITERAL:
        found = {chr(av) + tail for tail in _prefixes(rest, limit - 1)}
    elif op is _sre.SUBPATTERN:
        found = _prefixes([*av[-1], *rest], limit)
    elif op is _sre.BRANCH:
        found = set().union(*(_prefixes([*branch, *rest], limit) for branch in av[1]))
    elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        found = _prefixes(list(av[2]), limit)
        if av[0] == 0:  # may be skipped
            found |= _prefixes(rest, limit)
    else:  # a character class, any character...: no constraint from here on
        found = {""}
    return found


def _starts_at_word(items: list[Any]) -> bool:
    """Whether every match of the parsed pattern `items` begins at a word boundary."""
    if not items:
        return False
    (op, av), rest = items[0], items[1:]
    if op is _sre.ASSERT_NOT or (op is _sre.ASSERT and av[0] < 0):  # a lookbehind
        return _starts_at_word(rest)
    if op is _sre.AT:
        return av is _sre.AT_BOUNDARY
    if op is _sre.SUBPATTERN:
        return _starts_at_word([*av[-1], *rest])
    if op is _sre.BRANCH:
        return all(_starts_at_word([*branch, *rest]) for branch in av[1])
    return False


def _word_prefixes(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The beginnings of the words every match of `pattern` starts with (cut at the
    first character that is not a word character), when every match starts at a word
    boundary with a known word: the rule need only be tried where such a word begins."""
    if pattern.flags & re.IGNORECASE:
        return None
    items = list(_sre_parse.parse(pattern.pattern, pattern.flags))
    if not _starts_at_word(items):
        return None
    found = set()
    for prefix in _prefixes(items, _PREFIX_CHARS):
        word = _WORD.match(prefix)
        if word is None:
            return None
        # A word cut short by a non-word character is the whole word ("a" of "a.i."):
        # looked up as such, not as the beginning of every word starting with "a".
        found.add(word.group() if word.end() == len(prefix) else _WHOLE + word.group())
    return frozenset(found)


# By `id`: hashing a rule hashes its patterns.
_WORD_PREFIXES = {id(rule): _word_prefixes(rule.pattern) for rule in RULES if rule.start is None}


@dataclass(frozen=True, slots=True)
class Assessment:
    """How likely `text` is an injection or jailbreak attempt: the combined `score` in
    [0, 1], the `verdict` it maps to (`WARN_AT`, `BLOCK_AT`), the signals that fired
    (strongest first) and one detection per match, spanning the original text."""

    score: float
    verdict: Verdict
    reasons: tuple[str, ...]
    detections: tuple[Detection, ...]


@dataclass(frozen=True, slots=True)
class _Hit:
    rule: Rule | None  # None: a signal measured in code rather than matched by a rule
    signal: Signal
    weight: float
    start: int
    end: int
    source: str | None = None  # the encoding of the view it was found in


@dataclass(frozen=True, slots=True)
class _Reading:
    """One form of (part of) the text: where a match in it lies in the original."""

    form: str
    offsets: list[int]
    original: str  # what `offsets` index: the text, or a decoded view
    span: tuple[int, int] | None = None  # fixed span in the text, for decoded views
    source: str | None = None

    def locate(self, start: int, end: int) -> tuple[int, int]:
        if self.span is not None:
            return self.span
        return self.offsets[start], self.offsets[end - 1] + 1

    def written(self, start: int, end: int) -> str:
        """The original characters behind `[start, end)` of the form."""
        return self.original[self.offsets[start] : self.offsets[end - 1] + 1]


def _readings(text: str, span: tuple[int, int] | None, source: str | None) -> Iterator[_Reading]:
    form, offsets = skeleton_with_offsets(text)
    yield _Reading(form, offsets, text, span, source)
    lines, line_offsets = lines_with_offsets(text)
    yield _Reading(lines, line_offsets, text, span, source)


def _mentioned(form: str, start: int, discusses_attacks: Callable[[], bool]) -> bool:
    """Whether the match at `start` is talked about rather than said: introduced as an
    example or as reported speech, or quoted in a text that discusses attacks."""
    if signals.INTRODUCED.search(form, max(start - _INTRODUCED_LOOKBACK, 0), start):
        return True
    if not discusses_attacks():
        return False
    before = form[max(start - _MENTION_LOOKBACK, 0) : start].replace("```", "")
    return (
        before.count('"') % 2 == 1
        or before.count("`") % 2 == 1
        or before.count("(") > before.count(")")
        or len(_QUOTE_APOSTROPHE.findall(before)) % 2 == 1
    )


def _near(pattern: re.Pattern[str], form: str, match: re.Match[str]) -> bool:
    reach = signals.CONTEXT_REACH
    return pattern.search(form, max(match.start() - reach, 0), match.end() + reach) is not None


class _Anchors:
    """Which groups of `Rule.needs` words occur in one form, and where shared `start`
    words do; each computed once per form (many rules share them)."""

    def __init__(self, form: str) -> None:
        self.form = form
        self._present: dict[int, bool] = {}  # by `id` of the group: cheaper than its hash
        self._starts: dict[int, list[int]] = {}
        self._words: dict[str, list[int]] | None = None

    def possible(self, rule: Rule) -> bool:
        """Whether the form has a word of each group `rule` needs."""
        for group in rule.needs:
            present = self._present.get(id(group))
            if present is None:
                present = self._present[id(group)] = any(map(self.form.__contains__, group))
            if not present:
                return False
        return True

    def words(self, prefixes: frozenset[str]) -> list[int]:
        """Where words beginning with one of `prefixes` start, in order (a position
        may repeat)."""
        if self._words is None:
            index: defaultdict[str, list[int]] = defaultdict(list)
            for word in _WORD.finditer(self.form):
                text, position = word.group(), word.start()
                index[_WHOLE + text].append(position)
                index[text[:1]].append(position)
                if len(text) > 1:
                    index[text[:2]].append(position)
                    if len(text) > 2:  # `_PREFIX_CHARS` prefixes at most
                        index[text[:3]].append(position)
            self._words = dict(index)
        found = [positions for prefix in prefixes if (positions := self._words.get(prefix))]
        if len(found) <= 1:
            return found[0] if found else []
        return sorted(itertools.chain.from_iterable(found))  # merges sorted runs

    def starts(self, start: re.Pattern[str]) -> list[int]:
        found = self._starts.get(id(start))
        if found is None:
            found = self._starts[id(start)] = [m.start() for m in start.finditer(self.form)]
        return found


def _candidates(rule: Rule, anchors: _Anchors) -> Iterator[re.Match[str]]:
    """The matches of `rule`; a rule with a shared `start` is tried only where it occurs,
    one whose matches begin with known words only where those words do (the same matches
    `finditer` finds, without trying the pattern at every character)."""
    if rule.start is None:
        prefixes = _WORD_PREFIXES[id(rule)]
        if prefixes is None:
            yield from rule.pattern.finditer(anchors.form)
            return
        end = tried = -1
        for position in anchors.words(prefixes):
            if position < end or position == tried:  # inside the last match, or tried
                continue
            tried = position
            match = rule.pattern.match(anchors.form, position)
            if match is not None:
                end = max(match.end(), position + 1)
                yield match
        return
    for position in anchors.starts(rule.start):
        match = rule.pattern.match(anchors.form, position)
        if match is not None:
            yield match


def _matches(rules: Iterable[Rule], reading: _Reading, damp: bool) -> Iterator[_Hit]:
    anchors = _Anchors(reading.form)
    # Asked only when a match might be a mention, and then once per form.
    discusses_attacks = functools.cache(lambda: signals.DISCUSSION.search(reading.form) is not None)
    for rule in rules:
        if not anchors.possible(rule):
            continue
        for match in _candidates(rule, anchors):
            if match.end() == match.start():
                continue
            weight = rule.weight
            if rule.unless is not None and _near(rule.unless, reading.form, match):
                weight *= signals.CONTEXT_DAMPING
            if rule.upper_group is not None:
                group_start, group_end = match.span(rule.upper_group)
                if not reading.written(group_start, group_end).isupper():
                    weight /= 2  # "Dan" the colleague, not "DAN" the jailbreak
            if damp and _mentioned(reading.form, match.start(), discusses_attacks):
                weight *= signals.MENTION_DAMPING
            start, end = reading.locate(match.start(), match.end())
            yield _Hit(rule, rule.signal, weight, start, end, reading.source)


def _run_together(reading: _Reading) -> Iterator[_Hit]:
    """Compact rules over words written without spaces, in overlapping windows so that
    a long run costs linear time."""
    step = _COMPACT_WINDOW // 2
    for word in _RUN_TOGETHER.finditer(reading.form):
        for offset in range(word.start(), max(word.end() - step, word.start() + 1), step):
            window_end = min(offset + _COMPACT_WINDOW, word.end())
            window = reading.form[offset:window_end]
            for rule, needs in _COMPACT_RULES:
                if not all(any(map(window.__contains__, group)) for group in needs):
                    continue
                match = rule.compact.search(window)  # type: ignore[union-attr]
                if match is not None:
                    start, end = reading.locate(offset + match.start(), offset + match.end())
                    yield _Hit(rule, rule.signal, rule.weight, start, end, reading.source)


def _scan(
    text: str, span: tuple[int, int] | None, source: str | None, damp: bool
) -> tuple[list[_Hit], _Reading, _Reading]:
    """All rule hits in `text` (the input, or a decoded view spanning `span`), and the
    skeleton and line readings they were found in."""
    skeleton_reading, line_reading = _readings(text, span, source)
    hits = [
        *_matches(_SKELETON_RULES, skeleton_reading, damp),
        *_matches(_LINE_RULES, line_reading, damp),
        *_run_together(skeleton_reading),
    ]
    return hits, skeleton_reading, line_reading


def _harm(form: str) -> re.Match[str] | None:
    if not any(map(form.__contains__, signals.HARM_WORDS)):
        return None
    return signals.HARM.search(form)


def _framed_harm(reading: _Reading) -> Iterator[_Hit]:
    form = reading.form
    if not any(map(form.__contains__, signals.FRAME_WORDS)) or not signals.FRAME.search(form):
        return
    harm = _harm(form)
    if harm is None:
        return
    detailed = signals.DETAIL.search(reading.form) is not None
    weight = signals.FRAMED_DETAILED_HARM_WEIGHT if detailed else signals.FRAMED_HARM_WEIGHT
    start, end = reading.locate(harm.start(), harm.end())
    yield _Hit(None, signals.FICTIONAL_FRAMING, weight, start, end, reading.source)


def _addressed_in_data(hits: list[_Hit], lines: _Reading) -> Iterator[_Hit]:
    """An instruction addressed to the AI in text that comes from a document, a web
    page, an email or a tool: the two together are what indirect injection is."""
    addressed = [
        hit
        for hit in hits
        if hit.signal is signals.INDIRECT and hit.weight >= signals.ADDRESSED_IN_DATA_NEEDS
    ]
    if not addressed or not any(map(lines.form.__contains__, signals.DATA_SOURCE_WORDS)):
        return
    if signals.DATA_SOURCE.search(lines.form) is None:
        return
    first = max(addressed, key=lambda hit: hit.weight)
    yield _Hit(None, signals.INDIRECT, signals.ADDRESSED_IN_DATA_WEIGHT, first.start, first.end)


def _payload_split(reading: _Reading) -> Iterator[_Hit]:
    """A payload split in the line reading: quoted pieces the text asks to join. The
    joined pieces (as they are, and with spaces between them) are read again, spanning
    the pieces; the split itself is a signal when the text also asks to act on it."""
    pieces = list(signals.SPLIT_PIECE.finditer(reading.form))
    if len(pieces) < 2 or signals.JOIN_CUE.search(reading.form) is None:
        return
    span = reading.locate(pieces[0].start(), pieces[-1].end())
    if signals.ACT_CUE.search(reading.form) is not None:
        yield _Hit(None, signals.PAYLOAD_SPLITTING, signals.PAYLOAD_SPLITTING_WEIGHT, *span)
    texts = [piece.group(2) for piece in pieces]
    for joined in ("".join(texts), " ".join(text.strip() for text in texts)):
        yield from _scan(joined, span, "joined pieces", damp=False)[0]


def _obfuscation(text: str, views: tuple[DecodedView, ...]) -> Iterator[_Hit]:
    """Signs that something was hidden, measured on the raw text."""
    if len(views) >= MAX_VIEWS:
        yield _Hit(
            None,
            signals.OBFUSCATION,
            signals.OBFUSCATION_MANY_VIEWS_WEIGHT,
            views[-1].start,
            views[-1].end,
        )
    if text.isascii():
        return  # no invisible characters, tags or other scripts
    # A set test: a character class of every invisible character is slow to search.
    hidden = [] if INVISIBLE.isdisjoint(text) else list(_INVISIBLE_IN_WORD.finditer(text))
    if len(hidden) >= signals.INVISIBLES_IN_WORDS:
        yield _Hit(
            None,
            signals.OBFUSCATION,
            signals.OBFUSCATION_INVISIBLES_WEIGHT,
            hidden[0].start(),
            hidden[-1].end(),
        )
    tags = [view for view in views if view.encoding == "tags"]
    if tags:
        yield _Hit(
            None, signals.OBFUSCATION, signals.OBFUSCATION_TAGS_WEIGHT, tags[0].start, tags[0].end
        )
    mixed = _mixed_script_word(text)
    if mixed is not None:
        yield _Hit(None, signals.OBFUSCATION, signals.OBFUSCATION_MIXED_SCRIPT_WEIGHT, *mixed)


def _mixed_script_word(text: str) -> tuple[int, int] | None:
    """The first word mixing Latin letters with Cyrillic or Greek ones ("ignore" written
    with a Cyrillic o), looked for only around the Cyrillic and Greek letters."""
    for foreign in itertools.islice(_CYRILLIC_GREEK.finditer(text), _MIXED_SCRIPT_TRIES):
        start = _WORD_HEAD.search(text, max(foreign.start() - _WORD_REACH, 0), foreign.start())
        end = _WORD_TAIL.match(text, foreign.end())
        span = (start.start() if start else foreign.start(), end.end() if end else foreign.end())
        if _LATIN.search(text, *span):
            return span
    return None


def _hidden_only(plain: list[_Hit], hidden: list[_Hit]) -> Iterator[_Hit]:
    """The hits of decoded or joined text that say more than the plain text does (a
    signal absent from it, or stronger), and `obfuscation` if any did: hiding an
    instruction is itself a sign of intent."""
    plain_strength: dict[Signal, float] = {}
    for hit in plain:
        plain_strength[hit.signal] = max(plain_strength.get(hit.signal, 0.0), hit.weight)
    news = [hit for hit in hidden if hit.weight > plain_strength.get(hit.signal, 0.0)]
    yield from news
    if news:
        first = news[0]
        yield _Hit(
            None,
            signals.OBFUSCATION,
            signals.OBFUSCATION_HIDDEN_WEIGHT,
            first.start,
            first.end,
            first.source,
        )


_TECHNIQUES = frozenset(
    {
        signals.PERSONA,
        signals.RESTRICTION_REMOVAL,
        signals.PRIVILEGED_MODE,
        signals.REFUSAL_SUPPRESSION,
        signals.FICTIONAL_FRAMING,
        signals.PAYLOAD_SPLITTING,
        signals.OBFUSCATION,
    }
)


def _harmful_request(hits: list[_Hit], readings: Iterable[_Reading]) -> Iterator[_Hit]:
    """A request for something harmful next to a jailbreak technique: harm alone is a
    topic, a technique alone may be play, together they are what jailbreaks are for."""
    if not any(
        hit.signal in _TECHNIQUES and hit.weight >= signals.HARMFUL_REQUEST_NEEDS for hit in hits
    ):
        return
    for reading in readings:
        harm = _harm(reading.form)
        if harm is not None:
            start, end = reading.locate(harm.start(), harm.end())
            yield _Hit(None, signals.HARMFUL_REQUEST, signals.HARMFUL_REQUEST_WEIGHT, start, end)
            return


def _combine(hits: list[_Hit]) -> tuple[float, tuple[str, ...]]:
    """The noisy-OR score of the strongest hit of each rule (code-measured signals count
    as one rule each), and the signals by their strongest contribution."""
    strongest: dict[object, float] = {}
    by_signal: dict[str, float] = {}
    for hit in hits:
        key: object = hit.rule if hit.rule is not None else (hit.signal, hit.weight)
        strongest[key] = max(strongest.get(key, 0.0), hit.weight)
        by_signal[hit.signal.name] = max(by_signal.get(hit.signal.name, 0.0), hit.weight)
    remaining = 1.0
    for weight in strongest.values():
        remaining *= 1.0 - weight
    reasons = tuple(sorted(by_signal, key=lambda name: (-by_signal[name], name)))
    return round(1.0 - remaining, 4), reasons


def _verdict(score: float) -> Verdict:
    if score >= BLOCK_AT:
        return "block"
    if score >= WARN_AT:
        return "warn"
    return "allow"


class InjectionDetector:
    """Prompt-injection and jailbreak detection (see the module docstring). `detect`
    returns the detections of texts at least at `WARN_AT`; `assess` says everything.
    Never raises on any `str`; spans index the text it was given."""

    name = "injection"

    def assess(self, text: str) -> Assessment:
        hits, reading, lines = _scan(text, None, None, damp=True)
        hits += _framed_harm(reading)
        hits += _addressed_in_data(hits, lines)
        views = decoded_views(text)
        hidden: list[_Hit] = []
        readings = [reading]
        for hit in _payload_split(lines):
            (hidden if hit.source else hits).append(hit)
        for view in views:
            # Decoded text is read the way the model would read it: like the input.
            view_hits, view_reading, view_lines = _scan(
                view.text, (view.start, view.end), view.encoding, damp=True
            )
            hidden += view_hits
            hidden += _framed_harm(view_reading)
            hidden += _payload_split(view_lines)
            readings.append(view_reading)
        hits += _hidden_only(hits, hidden)
        hits += _obfuscation(text, views)
        hits += _harmful_request(hits, readings)
        score, reasons = _combine(hits)
        detections = dict.fromkeys(
            Detection(
                hit.signal.kind,
                hit.start,
                hit.end,
                hit.signal.name if hit.source is None else f"{hit.signal.name} ({hit.source})",
            )
            for hit in hits
        )
        return Assessment(score, _verdict(score), reasons, tuple(detections))

    def detect(self, text: str) -> list[Detection]:
        assessment = self.assess(text)
        return [] if assessment.verdict == "allow" else list(assessment.detections)
