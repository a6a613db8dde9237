"""Baseline jailbreak detection: well-known instruction-override and persona phrasings."""

from __future__ import annotations

import re

from vasini_guard.detection import Detection
from vasini_guard.normalise import normalise_with_offsets

# (label, pattern) over the normalised text: lower case, single spaces, no invisibles.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern))
    for label, pattern in (
        (
            "instruction override",
            r"\b(?:ignore|disregard|forget|override) (?:(?:all|any|the|your|of|my) )*"
            r"(?:previous|prior|above|earlier|preceding|original|system) "
            r"(?:instructions?|prompts?|rules|directions|guidelines|messages)\b",
        ),
        (
            "persona jailbreak",
            r"\byou are (?:now )?dan\b|\bact as dan\b|\bdo anything now\b"
            r"|\byou are now (?:unrestricted|jailbroken|unfiltered|uncensored)\b",
        ),
        (
            "developer mode",
            r"\bdeveloper mode (?:enabled|activated)\b"
            r"|\b(?:you are|you're|act|stay) (?:now )?in developer mode\b",
        ),
        (
            "restriction removal",
            r"\bpretend (?:that )?you (?:have|had) no (?:rules|restrictions|guidelines|filters)\b",
        ),
        (
            "system prompt extraction",
            r"\b(?:reveal|print|show|repeat|output|tell) (?:me )?(?:your|the) "
            r"(?:system|hidden|initial) (?:prompt|instructions)\b",
        ),
    )
)


class BaselineJailbreakDetector:
    """A small curated list of phrasings that try to override the agent's instructions
    (`ignore all previous instructions`, `you are now DAN`, `developer mode enabled`,
    `reveal your system prompt`, ...), matched after normalisation so full-width
    letters, odd case and zero-width characters do not hide them. A baseline: it
    catches the well-known forms only; paraphrases need the prompt firewall.

    Spans refer to the original text."""

    name = "baseline-jailbreak"

    def detect(self, text: str) -> list[Detection]:
        normal, offsets = normalise_with_offsets(text)
        found: list[Detection] = []
        for label, pattern in _PATTERNS:
            for match in pattern.finditer(normal):
                start, end = offsets[match.start()], offsets[match.end() - 1] + 1
                found.append(Detection("jailbreak", start, end, label))
        return found
