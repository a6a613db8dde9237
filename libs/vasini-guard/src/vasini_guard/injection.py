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

Some signals are measured over the whole text (`injection_cues`): several different
kinds of refusal-suppression demand stacked in one text, a persona introduced by name
and said to be free of rules, a request to copy the model's setup word for word or to
hand it over, and a role marker that introduces a change of policy (a forged turn).
German, French, Spanish, Italian and Portuguese text is read with kinds of cue of those
languages, counted like the refusal demands (`injection_languages`), tried only in a
text holding a function word of one of them. Quoted pieces assigned to names and then
used by name are substituted and read again, like pieces joined with `+`.
One signal is learned rather than written (`injection_model`): how much the words and
word pairs of the skeleton look like the corpus's `dev` attacks rather than its benign
texts. It only decides what the rules leave undecided: a text they do not block is
blocked when its vocabulary is an attack's (`model.learned_weight`).
A JSON field's value or a markup attribute's is data, not a quotation: an instruction
inside it is not damped as a mention.

How it stays fast
A rule is run only if the words it needs occur (`Rule.needs`): all the needed words of
the skeleton are found in one pass (`substrings`), as the bits of an int, and each
rule's groups of words are masks of those bits, so the rules that may match are found
with one `&` per group (`_Anchors.alive`). A rule is then tried only where a match can
begin: rules whose matches start with known words at a word boundary (most of them;
the words are read off the compiled pattern) are tried at the starts of words beginning
that way, found from one index of the text's words (by their first three characters);
rules whose matches start at `^` only at line starts; and patterns whose alternatives
start either with known words or with characters such as quotes (`_OPENINGS`) at those
words and characters. A pattern that begins with `\b` is otherwise tried at every
character. The matches are the ones `finditer` would find. The index, the `needs`
found and the mention tests are kept per reading (`_Anchors`) and shared by the rules
and the whole-text signals.

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

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]
from typing import Any, Literal

from vasini_guard import injection_cues as cues
from vasini_guard import injection_languages as languages
from vasini_guard import injection_model as model
from vasini_guard import injection_signals as signals
from vasini_guard.detection import Detection
from vasini_guard.injection_signals import Rule, Signal
from vasini_guard.normalise import (
    INVISIBLE,
    MAX_VIEWS,
    DecodedView,
    decoded_views,
    lines_with_offsets,
    skeleton_with_offsets,
)
from vasini_guard.substrings import Substrings

WARN_AT = 0.5
BLOCK_AT = 0.8

Verdict = Literal["allow", "warn", "block"]

# The English rules and the few German/French/Spanish/Italian/Portuguese ones.
RULES: tuple[Rule, ...] = (*signals.RULES, *languages.RULES)

# The German/French/Spanish/Italian/Portuguese rules are tried with the other cues of
# those languages, only in a text holding one of their function words (`_languages`):
# their words in the one pass for every text would slow down all of them.
_SKELETON_RULES = tuple(rule for rule in signals.RULES if not rule.on_lines)
_LINE_RULES = tuple(rule for rule in signals.RULES if rule.on_lines)
# Compact rules, with the words they need also written without spaces.
_COMPACT_NEEDED = tuple(
    (rule, tuple(tuple(word.replace(" ", "") for word in group) for group in rule.needs))
    for rule in RULES
    if rule.compact is not None
)
# Found in a window in one pass (ordinary long words such as "instructions" are common:
# one test per rule and word of its needs cost more).
_COMPACT_NEEDS = Substrings(
    word for _, needs in _COMPACT_NEEDED for group in needs for word in group
)
# The compact rules with their needs as masks of `_COMPACT_NEEDS`.
_COMPACT_RULES = tuple(
    (rule, tuple(map(_COMPACT_NEEDS.group, needs))) for rule, needs in _COMPACT_NEEDED
)
_RUN_TOGETHER = re.compile(r"[a-z]{12,}")
_COMPACT_WINDOW = 64  # longer run-together words are read in overlapping windows
_MENTION_LOOKBACK = 400
_INTRODUCED_LOOKBACK = 40
# Runs of invisible characters (tags aside); `_invisibles_in_words` keeps those between
# two letters.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_INVISIBLE_RUN = re.compile(
    "[" + "".join(sorted(INVISIBLE - set(map(chr, range(0xE0000, 0xE0080))))) + "]+"
)
_CYRILLIC_GREEK = re.compile("[\u0370-\u052f]")
_LATIN = re.compile("[A-Za-z]")
_WORD_REACH = 40
_WORD_HEAD = re.compile(rf"\w{{0,{_WORD_REACH}}}$")
_WORD_TAIL = re.compile(rf"\w{{0,{_WORD_REACH}}}")
_MIXED_SCRIPT_TRIES = 64
# A double quote opening the value of a JSON field or of a markup attribute: what follows
# is data (a tool result, an API response, a web page), not a quotation.
_DATA_VALUE = re.compile(r'(?:": ?|\w=)$')
# A quote that is not an apostrophe inside a word: not a letter on one side. The quote
# first, so that the pattern is searched for as a literal rather than tried at every
# character (the same matches as `(?<![a-z])'|'(?![a-z])`).
_QUOTE_APOSTROPHE = re.compile(r"'(?:(?<![a-z]')|(?![a-z]))")
_WORD = re.compile(r"\w+")
_PREFIX_CHARS = 3  # words are indexed by their first three characters, or whole if shorter
_WORD_BEGINNING = re.compile(rf"\b\w{{1,{_PREFIX_CHARS}}}")  # one match per word of `_WORD`


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


@dataclass(frozen=True, slots=True)
class _Prefixes:
    """The beginnings of the words a pattern's matches start with, as `_Anchors` looks
    them up: `keys` of its index (first `_PREFIX_CHARS` characters, or a shorter whole
    word), and `short` beginnings, shorter than that, of words of any length."""

    keys: tuple[str, ...]
    short: tuple[str, ...]


def _word_prefixes(pattern: re.Pattern[str]) -> _Prefixes | None:
    """The beginnings of the words every match of `pattern` starts with (cut at the
    first character that is not a word character), when every match starts at a word
    boundary with a known word: the rule need only be tried where such a word begins."""
    if pattern.flags & re.IGNORECASE:
        return None
    items = list(_sre_parse.parse(pattern.pattern, pattern.flags))
    if not _starts_at_word(items):
        return None
    return _shared(_prefixes(items, _PREFIX_CHARS))


def _shared(found: set[str]) -> _Prefixes | None:
    """`_Prefixes` of the beginnings `found` by `_prefixes` (of patterns starting at a word
    boundary), if they all begin with a word character."""
    keys = set()
    short = set()
    for prefix in found:
        word = _WORD.match(prefix)
        if word is None:
            return None
        # A word cut short by a non-word character is the whole word ("a" of "a.i."):
        # looked up as such, not as the beginning of every word starting with "a". Whole
        # words are shorter than `_PREFIX_CHARS`: index keys, like full-length prefixes.
        if word.end() < len(prefix) or word.end() == _PREFIX_CHARS:
            keys.add(word.group())
        else:
            short.add(word.group())
    prefixes = _Prefixes(tuple(sorted(keys)), tuple(sorted(short)))
    # Patterns that begin alike share one object, and so what `_Anchors.words` found.
    return _SHARED_PREFIXES.setdefault(prefixes, prefixes)


_SHARED_PREFIXES: dict[_Prefixes, _Prefixes] = {}


@dataclass(frozen=True, slots=True)
class _Openings:
    """How every match of a pattern begins: at a word boundary with one of the `words`,
    or with a character `characters` matches (a class of characters that are not word
    characters: quotes, "=" of "==="). Tried only there, like `_Prefixes`."""

    words: _Prefixes
    characters: re.Pattern[str]


def _opening_characters(items: list[Any]) -> set[str] | None:
    """The characters, none of them a word character, one of which every match of the
    parsed pattern `items` starts with; None if not that kind of pattern."""
    if not items:
        return None
    (op, av), rest = items[0], items[1:]
    if op is _sre.ASSERT_NOT or (op is _sre.ASSERT and av[0] < 0):  # a lookbehind
        return _opening_characters(rest)
    if op is _sre.SUBPATTERN:
        return _opening_characters([*av[-1], *rest])
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and av[0] > 0:
        return _opening_characters(list(av[2]))  # at least once: begins as its body does
    if op is _sre.LITERAL or op is _sre.IN:
        members = [(op, av)] if op is _sre.LITERAL else av
        if all(kind is _sre.LITERAL for kind, _ in members):
            found = {chr(code) for _, code in members}
            if not any(map(_WORD.match, found)):
                return found
    return None


def _openings(pattern: re.Pattern[str]) -> _Openings | None:
    """How every match of `pattern` begins, when each of its alternatives begins either
    at a word boundary with a known word or with a character that is not a word character
    (a pattern of the first kind alone is `_word_prefixes`')."""
    if pattern.flags & re.IGNORECASE:
        return None
    parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
    if parsed.getwidth()[0] == 0:  # an empty match: `finditer` would go on from there
        return None
    alternatives = [list(parsed)]
    while len(alternatives[0]) == 1 and alternatives[0][0][0] is _sre.SUBPATTERN:
        alternatives = [list(alternatives[0][0][1][-1])]
    if alternatives[0] and alternatives[0][0][0] is _sre.BRANCH:
        (_, (_, branches)), *rest = alternatives[0]
        alternatives = [[*branch, *rest] for branch in branches]
    words: set[str] = set()
    characters: set[str] = set()
    for items in alternatives:
        if _starts_at_word(items):
            words |= _prefixes(items, _PREFIX_CHARS)
            continue
        found = _opening_characters(items)
        if found is None:
            return None
        characters |= found
    prefixes = _shared(words)
    if prefixes is None or not characters:
        return None
    escaped = "".join(map(re.escape, sorted(characters)))
    return _Openings(prefixes, re.compile(f"[{escaped}]"))


# By `id` of the pattern (a compiled pattern hashes its source).
_WORD_PREFIXES = {
    id(pattern): _word_prefixes(pattern)
    for pattern in (
        *(rule.pattern for rule in RULES if rule.start is None),
        *{rule.start for rule in RULES if rule.start is not None},
        *(cue.pattern for cue in cues.REFUSAL_CUES),
        *(cue.pattern for cue in languages.LANGUAGE_CUES),
        signals.FRAME,
        signals.HARM,
        cues.UNBOUND,
        cues.AI_CONTEXT,
        cues.SETUP,
        cues.VERBATIM,
        cues.REVEAL_SETUP,
        cues.POLICY_CHANGE,
        cues.PERSISTENT,
        signals.DISCUSSION,
    )
}

# Patterns (by `id`) that are not `_WORD_PREFIXES`' and whose alternatives begin with known
# words or with characters such as quotes (scanning them through `finditer` is slow: a
# pattern that begins with `\b` is tried at every character).
_OPENINGS = {
    key: openings
    for key, openings in (
        (id(pattern), _openings(pattern))
        for pattern in (
            *{rule.start for rule in RULES if rule.start is not None},
            *(cue.pattern for cue in cues.REFUSAL_CUES),
        )
        if _WORD_PREFIXES[id(pattern)] is None
    )
    if openings is not None
}

# Patterns (by `id`) whose every match begins at a line start: `^` under `re.MULTILINE`
# first. Tried only there, rather than at every character.
_AT_LINE_STARTS = frozenset(
    id(rule.pattern)
    for rule in RULES
    if rule.pattern.flags & re.MULTILINE
    and _sre_parse.parse(rule.pattern.pattern, rule.pattern.flags)[0]
    == (_sre.AT, _sre.AT_BEGINNING)
)
_LINE_BREAK = re.compile("\n")


# Every word a rule or a whole-text signal reading the skeleton needs (`Rule.needs`,
# `Cue.needs`, the `*_WORDS` of the signals measured in code), found in one pass, as the
# bits of an int (`_Anchors.has_any`). The line reading is asked about a few groups only
# (five rules, and the data-source cue when an instruction to the AI was found): testing
# those groups is cheaper than a pass over the text.
_SKELETON_NEEDS = Substrings(
    itertools.chain(
        *(group for rule in _SKELETON_RULES for group in rule.needs),
        *(group for cue in cues.REFUSAL_CUES for group in cue.needs),
        signals.HARM_WORDS,
        signals.FRAME_WORDS,
        cues.UNBOUND_WORDS,
        cues.INTRODUCTION_WORDS,
        cues.VERBATIM_WORDS,
        cues.REVEAL_WORDS,
    )
)
# The `needs` of the rules read on the skeleton as masks of `_SKELETON_NEEDS`, by `id` of
# the rule: which rules may match is then one `&` per group (`_Anchors.alive`), not a set
# test through two method calls.
_NEEDS_MASKS = {
    id(rule): tuple(map(_SKELETON_NEEDS.group, rule.needs))
    for rule in (*_SKELETON_RULES, *languages.RULES)
}

# The short prefixes some pattern needs (few: most prefixes are keys).
_SHORT_PREFIXES = frozenset(
    prefix
    for prefixes in (*_WORD_PREFIXES.values(), *(found.words for found in _OPENINGS.values()))
    if prefixes
    for prefix in prefixes.short
)
_SHORT_LENGTHS = sorted({len(prefix) for prefix in _SHORT_PREFIXES})


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
    anchors: _Anchors  # where the words of `form` are, shared by whatever matches on it
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
    yield _Reading(form, offsets, text, _Anchors(form, _SKELETON_NEEDS), span, source)
    lines, line_offsets = lines_with_offsets(text)
    yield _Reading(lines, line_offsets, text, _Anchors(lines, None), span, source)


def _mentioned(form: str, start: int, discusses_attacks: Callable[[], bool]) -> bool:
    """Whether the match at `start` is talked about rather than said: introduced as an
    example or as reported speech, or quoted in a text that discusses attacks."""
    if signals.INTRODUCED.search(form, max(start - _INTRODUCED_LOOKBACK, 0), start):
        return True
    if not discusses_attacks():
        return False
    before = form[max(start - _MENTION_LOOKBACK, 0) : start].replace("```", "")
    return (
        (before.count('"') % 2 == 1 and not _DATA_VALUE.search(before, 0, before.rfind('"')))
        or before.count("`") % 2 == 1
        or before.count("<!--") > before.count("-->")
        or before.count("(") > before.count(")")
        or len(_QUOTE_APOSTROPHE.findall(before)) % 2 == 1
    )


def _near(pattern: re.Pattern[str], form: str, match: re.Match[str]) -> bool:
    reach = signals.CONTEXT_REACH
    return pattern.search(form, max(match.start() - reach, 0), match.end() + reach) is not None


class _Anchors:
    """What rules and cues ask of one form, each computed once (many share it): which
    needed words occur (those of `needs` in one pass; without it, group by group),
    where words and shared `start` words begin, and whether a match is mentioned rather
    than said."""

    def __init__(self, form: str, needs: Substrings | None) -> None:
        self.form = form
        self._needs = needs
        self._present: int | None = None  # the words of `needs` it holds, as bits
        self._groups: dict[int, bool] = {}  # without `needs`: by `id` of the group asked
        self._starts: dict[int, list[int]] = {}
        self._index: dict[str, list[int]] | None = None
        self._short: dict[str, list[list[int]]] | None = None
        self._line_starts: list[int] | None = None
        self._mentions: dict[int, bool] = {}
        self._discusses: bool | None = None
        self._found: dict[int, list[int]] = {}  # by `id` of the `_Prefixes` or `_Openings`

    def _bits(self, needs: Substrings) -> int:
        """The words of `needs` (the form's) that the form holds, as bits: found once."""
        if self._present is None:
            self._present = needs.bits(self.form)
        return self._present

    def has_any(self, words: tuple[str, ...]) -> bool:
        """Whether the form holds one of `words` (all of them among its `needs`, if any)."""
        if self._needs is None:
            found = self._groups.get(id(words))
            if found is None:
                found = self._groups[id(words)] = any(map(self.form.__contains__, words))
            return found
        return self._needs.group(words) & self._bits(self._needs) != 0

    def holds(self, needs: tuple[tuple[str, ...], ...]) -> bool:
        """Whether the form has a word of each group of `needs` (`Rule.needs`)."""
        return all(map(self.has_any, needs))

    def alive(self, rules: Iterable[Rule]) -> list[Rule]:
        """The `rules` whose `needs` the form holds, in order."""
        if self._needs is not _SKELETON_NEEDS:  # `_NEEDS_MASKS` are masks of that one
            return [rule for rule in rules if self.holds(rule.needs)]
        present = self._bits(self._needs).__and__
        return [rule for rule in rules if all(map(present, _NEEDS_MASKS[id(rule)]))]

    def words(self, prefixes: _Prefixes) -> list[int]:
        """Where words beginning with one of `prefixes` start, in order (a position
        may repeat); computed once per form and `prefixes`."""
        found = self._found.get(id(prefixes))
        if found is None:
            runs = [positions for positions in map(self._indexed().get, prefixes.keys) if positions]
            if prefixes.short:
                short = self._shortened()
                for beginning in prefixes.short:
                    runs += short.get(beginning, ())
            if len(runs) <= 1:
                found = runs[0] if runs else []
            else:
                found = sorted(itertools.chain.from_iterable(runs))  # merges sorted runs
            self._found[id(prefixes)] = found
        return found

    def opened(self, openings: _Openings) -> list[int]:
        """Where matches of a pattern beginning with `openings` may start, in order."""
        found = self._found.get(id(openings))
        if found is None:
            characters = [match.start() for match in openings.characters.finditer(self.form)]
            found = sorted([*self.words(openings.words), *characters])
            self._found[id(openings)] = found
        return found

    def _indexed(self) -> dict[str, list[int]]:
        """Where each word starts, under its first `_PREFIX_CHARS` characters, or whole
        if shorter."""
        if self._index is None:
            index: defaultdict[str, list[int]] = defaultdict(list)
            for word in _WORD_BEGINNING.finditer(self.form):
                index[word.group()].append(word.start())
            self._index = index
        return self._index

    def _shortened(self) -> dict[str, list[list[int]]]:
        """The runs of `_indexed` under each of the `_SHORT_PREFIXES` their keys begin
        with: a pass over the keys of the index once, rather than a test per word."""
        if self._short is None:
            short: defaultdict[str, list[list[int]]] = defaultdict(list)
            for key, positions in self._indexed().items():
                for length in _SHORT_LENGTHS:
                    if key[:length] in _SHORT_PREFIXES:
                        short[key[:length]].append(positions)
            self._short = short
        return self._short

    def mentioned(self, start: int) -> bool:
        """Whether the match at `start` is talked about rather than said (`_mentioned`)."""
        found = self._mentions.get(start)
        if found is None:
            found = self._mentions[start] = _mentioned(self.form, start, self._discusses_attacks)
        return found

    def _discusses_attacks(self) -> bool:
        # Asked only when a match might be a mention, and then once per form.
        if self._discusses is None:
            self._discusses = next(_anchored(signals.DISCUSSION, self), None) is not None
        return self._discusses

    def line_starts(self) -> list[int]:
        """Where `^` matches under `re.MULTILINE`: the start, and after every line feed."""
        if self._line_starts is None:
            self._line_starts = [0, *(feed.end() for feed in _LINE_BREAK.finditer(self.form))]
        return self._line_starts

    def starts(self, start: re.Pattern[str]) -> list[int]:
        found = self._starts.get(id(start))
        if found is None:
            found = self._starts[id(start)] = [m.start() for m in _anchored(start, self)]
        return found


def _anchored(pattern: re.Pattern[str], anchors: _Anchors) -> Iterator[re.Match[str]]:
    """The matches of `pattern` (one of `_WORD_PREFIXES`); if its matches begin with known
    words, or at line starts (`_AT_LINE_STARTS`), or with known words or characters
    (`_OPENINGS`), tried only there (the same matches `finditer` finds, without trying
    the pattern at every character)."""
    prefixes = _WORD_PREFIXES[id(pattern)]
    if prefixes is not None:
        positions = anchors.words(prefixes)
    elif id(pattern) in _AT_LINE_STARTS:
        positions = anchors.line_starts()
    elif id(pattern) in _OPENINGS:
        positions = anchors.opened(_OPENINGS[id(pattern)])
    else:
        return pattern.finditer(anchors.form)
    # Most patterns asked about have no place to begin in a text: no generator for them.
    return _tried(pattern, anchors.form, positions) if positions else iter(())


def _tried(pattern: re.Pattern[str], form: str, positions: list[int]) -> Iterator[re.Match[str]]:
    """The matches of `pattern` beginning at `positions` (in order), as `finditer` finds
    them: none begins inside the one before. Every position is tried, in C (`map`): few
    tries match, and a Python step per try costs more than trying where one match lies."""
    end = -1
    for match in filter(None, map(pattern.match, itertools.repeat(form), positions)):
        if match.start() >= end:  # not inside the last match (nor where it began)
            end = max(match.end(), match.start() + 1)
            yield match


def _candidates(rule: Rule, anchors: _Anchors) -> Iterator[re.Match[str]]:
    """The matches of `rule`; a rule with a shared `start` is tried only where it occurs,
    the others as `_anchored` tries them."""
    if rule.start is None:
        return _anchored(rule.pattern, anchors)
    # In C: match objects are true, `None` is not.
    tries = map(rule.pattern.match, itertools.repeat(anchors.form), anchors.starts(rule.start))
    return filter(None, tries)


def _matches(rules: Iterable[Rule], reading: _Reading, damp: bool) -> Iterator[_Hit]:
    anchors = reading.anchors
    mentioned = reading.anchors.mentioned
    for rule in anchors.alive(rules):
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
            if damp and mentioned(match.start()):
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
            present = _COMPACT_NEEDS.bits(window).__and__
            for rule, needs in _COMPACT_RULES:
                if not all(map(present, needs)):
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


def _harm(reading: _Reading) -> re.Match[str] | None:
    if not reading.anchors.has_any(signals.HARM_WORDS):
        return None
    return next(_anchored(signals.HARM, reading.anchors), None)


def _framed_harm(reading: _Reading) -> Iterator[_Hit]:
    if not reading.anchors.has_any(signals.FRAME_WORDS):
        return
    if next(_anchored(signals.FRAME, reading.anchors), None) is None:
        return
    harm = _harm(reading)
    if harm is None:
        return
    detailed = signals.DETAIL.search(reading.form) is not None
    weight = signals.FRAMED_DETAILED_HARM_WEIGHT if detailed else signals.FRAMED_HARM_WEIGHT
    start, end = reading.locate(harm.start(), harm.end())
    yield _Hit(None, signals.FICTIONAL_FRAMING, weight, start, end, reading.source)


def _first_made(
    pattern: re.Pattern[str], reading: _Reading, mentioned: Callable[[int], bool]
) -> re.Match[str] | None:
    """The first match of `pattern` (one of `_WORD_PREFIXES`) that is not mentioned."""
    return next((m for m in _anchored(pattern, reading.anchors) if not mentioned(m.start())), None)


def _stacked_refusal(reading: _Reading) -> Iterator[_Hit]:
    """Several different kinds of refusal-suppression demand in one text (`cues`): the
    first made (not mentioned) match of each kind, when at least two kinds may occur."""
    possible = [cue for cue in cues.REFUSAL_CUES if reading.anchors.holds(cue.needs)]
    if len(possible) < cues.STACKED_REFUSAL_NEEDS:
        return
    mentioned = reading.anchors.mentioned
    spans = sorted(
        match.span()
        for cue in possible
        if (match := _first_made(cue.pattern, reading, mentioned)) is not None
    )
    kinds = len(spans)
    if (
        kinds >= cues.STACKED_REFUSAL_NEEDS
        and _first_made(cues.PERSISTENT, reading, mentioned) is not None
    ):
        kinds += 1
    weight = cues.stacked_refusal_weight(kinds)
    if weight:
        start, end = reading.locate(spans[0][0], spans[-1][1])
        yield _Hit(None, signals.REFUSAL_SUPPRESSION, weight, start, end, reading.source)


def _languages(reading: _Reading) -> Iterator[_Hit]:
    """The German/French/Spanish/Italian/Portuguese rules (`languages.RULES`), and
    different kinds of cue of those languages in one text (`languages.LANGUAGE_CUES`):
    the first made (not mentioned) match of each kind, counted. Looked for only in a
    text holding a function word of those languages; the strong kinds first, since
    without one the weak ones count for nothing. (A pass for the cues' words, as the
    other cues have, cost more here than trying their patterns, which run only where
    their first words begin.)"""
    if languages.FUNCTION_WORD.search(reading.form) is None:
        return
    yield from _matches(languages.RULES, reading, damp=True)
    mentioned = reading.anchors.mentioned
    strong = [
        match.span()
        for cue in languages.STRONG_CUES
        if (match := _first_made(cue.pattern, reading, mentioned)) is not None
    ]
    if not strong:
        return
    weak = [
        match.span()
        for cue in languages.WEAK_CUES
        if (match := _first_made(cue.pattern, reading, mentioned)) is not None
    ]
    weight = languages.stacked_weight(len(strong), len(weak))
    if weight:
        spans = sorted(strong + weak)
        start, end = reading.locate(spans[0][0], spans[-1][1])
        yield _Hit(None, languages.LANGUAGE_CUES_SIGNAL, weight, start, end, reading.source)


def _unbound_persona(reading: _Reading) -> Iterator[_Hit]:
    """A persona introduced by name and said to be free of rules, in a text about an AI
    (`cues`)."""
    if not reading.anchors.has_any(cues.UNBOUND_WORDS):
        return
    if not reading.anchors.has_any(cues.INTRODUCTION_WORDS):
        return
    if next(_anchored(cues.AI_CONTEXT, reading.anchors), None) is None:
        return
    if _first_made(cues.UNBOUND, reading, reading.anchors.mentioned) is None:
        return
    persona = cues.introduced_persona(reading.original)
    if persona is None:
        return
    start, end = reading.span or (persona.start, persona.end)
    weight = cues.unbound_persona_weight(persona)
    yield _Hit(None, signals.PERSONA, weight, start, end, reading.source)


def _verbatim_setup(reading: _Reading) -> Iterator[_Hit]:
    """A request to copy the model's own setup word for word (`cues`): a reference to
    the setup and a demand for the exact text, neither of them mentioned."""
    if not reading.anchors.has_any(cues.VERBATIM_WORDS):
        return
    mentioned = reading.anchors.mentioned
    verbatim = _first_made(cues.VERBATIM, reading, mentioned)
    if verbatim is None:
        return
    setup = _first_made(cues.SETUP, reading, mentioned)
    if setup is None:
        return
    start, end = reading.locate(
        min(setup.start(), verbatim.start()), max(setup.end(), verbatim.end())
    )
    weight = cues.VERBATIM_SETUP_WEIGHT
    yield _Hit(None, signals.EXTRACTION, weight, start, end, reading.source)


def _revealed_setup(reading: _Reading) -> Iterator[_Hit]:
    """A request to hand over the model's own setup (`cues.REVEAL_SETUP`), not mentioned."""
    if not reading.anchors.has_any(cues.REVEAL_WORDS):
        return
    found = _first_made(cues.REVEAL_SETUP, reading, reading.anchors.mentioned)
    if found is not None:
        start, end = reading.locate(found.start(), found.end())
        yield _Hit(None, signals.EXTRACTION, cues.REVEAL_SETUP_WEIGHT, start, end, reading.source)


def _fake_turn(hits: list[_Hit], reading: _Reading) -> Iterator[_Hit]:
    """A role marker together with a claim that the policy changed (`cues.POLICY_CHANGE`):
    a forged system or assistant turn, not a quoted template."""
    if not any(hit.signal is signals.ROLE_MARKER and hit.weight >= WARN_AT for hit in hits):
        return
    found = _first_made(cues.POLICY_CHANGE, reading, reading.anchors.mentioned)
    if found is not None:
        start, end = reading.locate(found.start(), found.end())
        yield _Hit(None, signals.ROLE_MARKER, cues.FAKE_TURN_WEIGHT, start, end, reading.source)


def _addressed_in_data(hits: list[_Hit], lines: _Reading) -> Iterator[_Hit]:
    """An instruction addressed to the AI in text that comes from a document, a web
    page, an email or a tool: the two together are what indirect injection is."""
    addressed = [
        hit
        for hit in hits
        if hit.signal is signals.INDIRECT and hit.weight >= signals.ADDRESSED_IN_DATA_NEEDS
    ]
    if not addressed or not lines.anchors.has_any(signals.DATA_SOURCE_WORDS):
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
    if len(pieces) < 2 or not any(map(reading.form.__contains__, signals.JOIN_WORDS)):
        return
    if signals.JOIN_CUE.search(reading.form) is None:
        return
    span = reading.locate(pieces[0].start(), pieces[-1].end())
    if signals.ACT_CUE.search(reading.form) is not None:
        yield _Hit(None, signals.PAYLOAD_SPLITTING, signals.PAYLOAD_SPLITTING_WEIGHT, *span)
    texts = [piece.group(2) for piece in pieces]
    for joined in ("".join(texts), " ".join(text.strip() for text in texts)):
        yield from _scan(joined, span, "joined pieces", damp=False)[0]


# A quoted piece assigned to a short name: `x = 'bypass'`; and the quote after "=" alone.
_ASSIGNED = re.compile(r"\b(\w{1,12}) ?= ?([\"'])([^\"'\n]{1,60})\2")
_QUOTED_VALUE = re.compile(r"= ?[\"']")
_SUBSTITUTED_REACH = 200  # characters after the last piece in which the names are used
_SUBSTITUTED_GAP = 12  # at most this far apart: "do x the y z"


def _substituted(reading: _Reading) -> Iterator[_Hit]:
    """Quoted pieces assigned to names and then used by name in what follows ("x =
    'bypass'; y = 'content'; z = 'filter'. Now do x the y z"): a payload split joined by
    the reader, not by `+`. What follows is read again with the pieces put in; it counts
    only if that reading finds something, so code that merely assigns strings is not
    flagged."""
    # `_ASSIGNED` starts with a word, so it would be tried at every one: look for the
    # quote after "=" first (a fast literal search).
    if len(_QUOTED_VALUE.findall(reading.form)) < 2:
        return
    assigned = list(_ASSIGNED.finditer(reading.form))
    if len(assigned) < 2:
        return
    values = {match.group(1): match.group(3) for match in assigned}
    # Only pieces that hold a word some rule needs can make an attack when put together.
    if not _SKELETON_NEEDS.bits(" ".join(values.values())):
        return
    # The sentence or two that uses them: reading the rest of a long text again would
    # double its cost for code that assigns strings.
    rest = reading.form[assigned[-1].end() : assigned[-1].end() + _SUBSTITUTED_REACH]
    # Two different names next to each other ("do x the y z"), not a name that is also a
    # word ("a") somewhere in the next sentence.
    used = [(word.start(), word.group()) for word in _WORD.finditer(rest) if word.group() in values]
    if not any(
        second - first <= _SUBSTITUTED_GAP and name != other
        for (first, name), (second, other) in itertools.pairwise(used)
    ):
        return
    # The line the names are used on.
    line_end = rest.find("\n", used[-1][0])
    rest = rest if line_end == -1 else rest[:line_end]
    rewritten = _WORD.sub(lambda word: values.get(word.group(), word.group()), rest)
    span = reading.locate(assigned[0].start(), assigned[-1].end())
    found = _scan(rewritten, span, "substituted pieces", damp=False)[0]
    if not found:
        return
    yield from found
    if signals.ACT_CUE.search(rest) is not None:
        yield _Hit(None, signals.PAYLOAD_SPLITTING, signals.PAYLOAD_SPLITTING_WEIGHT, *span)


def _learned(reading: _Reading) -> Iterator[_Hit]:
    """The learned vocabulary signal over the whole text (not decoded views: their
    words are not what the model was trained on)."""
    vocabulary = model.score(model.shipped_weights(), reading.form)
    weight = model.learned_weight(vocabulary)
    if weight:
        yield _Hit(None, signals.LEARNED, weight, 0, len(reading.original))


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
    hidden = [] if INVISIBLE.isdisjoint(text) else _invisibles_in_words(text)
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


def _invisibles_in_words(text: str) -> list[re.Match[str]]:
    """The runs of invisible characters with a Latin letter on either side, looked for
    only inside runs of non-ASCII characters (found fast; the class is slow to search)."""
    return [
        run
        for outside_ascii in _NON_ASCII_RUN.finditer(text)
        for run in _INVISIBLE_RUN.finditer(text, outside_ascii.start(), outside_ascii.end())
        if run.start() > 0 and _LATIN.match(text, run.start() - 1) and _LATIN.match(text, run.end())
    ]


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
        harm = _harm(reading)
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
        hits += _stacked_refusal(reading)
        hits += _languages(reading)
        hits += _unbound_persona(reading)
        hits += _verbatim_setup(reading)
        hits += _revealed_setup(reading)
        hits += _fake_turn(hits, reading)
        hits += _addressed_in_data(hits, lines)
        views = decoded_views(text)
        hidden: list[_Hit] = []
        readings = [reading]
        # Pieces already joined by `+` need not be substituted by name too.
        for hit in list(_payload_split(lines)) or _substituted(lines):
            (hidden if hit.source else hits).append(hit)
        for view in views:
            # Decoded text is read the way the model would read it: like the input.
            view_hits, view_reading, view_lines = _scan(
                view.text, (view.start, view.end), view.encoding, damp=True
            )
            hidden += view_hits
            hidden += _framed_harm(view_reading)
            hidden += _stacked_refusal(view_reading)
            hidden += _languages(view_reading)
            hidden += _unbound_persona(view_reading)
            hidden += _verbatim_setup(view_reading)
            hidden += _revealed_setup(view_reading)
            hidden += _payload_split(view_lines)
            readings.append(view_reading)
        hits += _hidden_only(hits, hidden)
        hits += _obfuscation(text, views)
        hits += _harmful_request(hits, readings)
        score, reasons = _combine(hits)
        if score < BLOCK_AT:
            # Undecided by the rules: the vocabulary decides (a block, or as it was).
            learned = list(_learned(reading))
            if learned:
                hits += learned
                score, reasons = _combine(hits)
        detections = dict.fromkeys(
            Detection(
                hit.signal.kind,
                hit.start,
                hit.end,
                hit.signal.name if hit.source is None else f"{hit.signal.name} ({hit.source})",
            )
            for hit in hits
            # A judgment of the whole text, not a passage: nothing to point at or cut out
            # (a tool result with an injected line keeps the rest of its data).
            if hit.signal is not signals.LEARNED
        )
        return Assessment(score, _verdict(score), reasons, tuple(detections))

    def detect(self, text: str) -> list[Detection]:
        assessment = self.assess(text)
        return [] if assessment.verdict == "allow" else list(assessment.detections)
