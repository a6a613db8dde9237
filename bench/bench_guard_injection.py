"""Prompt-firewall eval: injection/jailbreak detection on the labelled corpus, on
obfuscated variants of it, and its speed. Prints one JSON line per metric group.

- corpus: per split (`dev`, tuned on; `heldout`, never tuned on) the share of attacks
  blocked (`detection`) and flagged (warn or block), and the share of benign texts
  blocked (`false_positive`) and flagged. Rates are of texts, verdict from
  `InjectionDetector.assess` with the module's `WARN_AT`/`BLOCK_AT`.
- families: the same per family, for each split.
- obfuscated: every held-out attack and benign text rewritten by each obfuscation
  (zero-width characters, homoglyphs, full-width letters, letter spacing, base64, hex,
  ROT13, URL-encoding); detection and false-positive rates per obfuscation, and how
  many of the attacks blocked in plain form are still blocked (`kept`).
- speed: p50/p99 ms of `assess` on 2 KB inputs (corpus texts joined and cut to 2 KB),
  wall clock and, as `cpu_p50_ms`/`cpu_p99_ms`, the CPU time of the thread (on a shared
  machine the wall clock also counts the time other processes held the CPU); and MB/s
  on 1 MB inputs: ordinary text, and hostile ones (one base64 blob, attack phrases
  throughout).
"""

from __future__ import annotations

import base64
import codecs
import json
import platform
import random
import statistics
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from vasini_guard.injection import BLOCK_AT, WARN_AT, InjectionDetector

CORPUS = Path(__file__).resolve().parents[1] / "libs" / "vasini-guard" / "corpus"
SPEED_INPUTS = 400
SPEED_INPUT_CHARS = 2048
LARGE_INPUT_CHARS = 1_000_000
SEED = 6

DETECTOR = InjectionDetector()

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_HOMOGLYPHS = dict(
    zip("aceiopxyABCEHIKMOPTXY", "асеіорхуАВСЕНІКМОРТХУ", strict=True)  # noqa: RUF001 (look-alikes on purpose)
)


def _zero_width(text: str, rng: random.Random) -> str:
    return "".join(
        c + rng.choice(_ZERO_WIDTH) if c.isalpha() and rng.random() < 0.4 else c for c in text
    )


def _homoglyph(text: str, rng: random.Random) -> str:
    return "".join(_HOMOGLYPHS[c] if c in _HOMOGLYPHS and rng.random() < 0.5 else c for c in text)


def _full_width(text: str, _: random.Random) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _spaced(text: str, _: random.Random) -> str:
    return "  ".join(" ".join(word) for word in text.split())


def _base64(text: str, _: random.Random) -> str:
    return base64.b64encode(text.encode()).decode()


def _hex(text: str, _: random.Random) -> str:
    return text.encode().hex()


def _rot13(text: str, _: random.Random) -> str:
    return codecs.encode(text, "rot13")


def _url(text: str, _: random.Random) -> str:
    return urllib.parse.quote(text, safe="")


OBFUSCATIONS: dict[str, Callable[[str, random.Random], str]] = {
    "zero_width": _zero_width,
    "homoglyph": _homoglyph,
    "full_width": _full_width,
    "spacing": _spaced,
    "base64": _base64,
    "hex": _hex,
    "rot13": _rot13,
    "url": _url,
}


def load() -> list[dict[str, Any]]:
    rows = []
    for name in ("attacks", "benign"):
        with (CORPUS / f"{name}.jsonl").open(encoding="utf-8") as lines:
            rows += [json.loads(line) for line in lines if line.strip()]
    return rows


def verdicts(texts: Iterable[str]) -> list[str]:
    return [DETECTOR.assess(text).verdict for text in texts]


def rates(rows: list[dict[str, Any]], found: list[str]) -> dict[str, Any]:
    attacks = [v for row, v in zip(rows, found, strict=True) if row["label"] == "attack"]
    benign = [v for row, v in zip(rows, found, strict=True) if row["label"] == "benign"]
    return {
        "attacks": len(attacks),
        "detection": _share(attacks, {"block"}),
        "flagged": _share(attacks, {"warn", "block"}),
        "benign": len(benign),
        "false_positive": _share(benign, {"block"}),
        "false_flagged": _share(benign, {"warn", "block"}),
    }


def _share(found: list[str], wanted: set[str]) -> float:
    return round(sum(v in wanted for v in found) / len(found), 4) if found else 0.0


def corpus_lines(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    lines = []
    for split in ("dev", "heldout"):
        part = [row for row in rows if row["split"] == split]
        found = verdicts(row["text"] for row in part)
        lines.append({"group": "corpus", "split": split, **rates(part, found)})
        families: dict[str, dict[str, float]] = {"attack": {}, "benign": {}}
        by_family: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row, verdict in zip(part, found, strict=True):
            by_family[(row["label"], row["family"])].append(verdict)
        for (label, family), family_found in sorted(by_family.items()):
            families[label][family] = _share(family_found, {"block"})
        lines.append(
            {
                "group": "families",
                "split": split,
                "attack_detection": families["attack"],
                "benign_false_positive": families["benign"],
            }
        )
    return lines


def obfuscated_line(rows: list[dict[str, Any]]) -> dict[str, Any]:
    heldout = [row for row in rows if row["split"] == "heldout"]
    plain = verdicts(row["text"] for row in heldout)
    caught_plain = {
        row["id"]
        for row, v in zip(heldout, plain, strict=True)
        if v == "block" and row["label"] == "attack"
    }
    variants: dict[str, dict[str, Any]] = {}
    rng = random.Random(SEED)
    for name, obfuscate in OBFUSCATIONS.items():
        found = verdicts(obfuscate(row["text"], rng) for row in heldout)
        kept = [v for row, v in zip(heldout, found, strict=True) if row["id"] in caught_plain]
        result = rates(heldout, found)
        variants[name] = {
            "detection": result["detection"],
            "kept": _share(kept, {"block"}),
            "false_positive": result["false_positive"],
        }
    return {"group": "obfuscated", "split": "heldout", "variants": variants}


def _timed_ms(text: str) -> float:
    return _both_timed_ms(text)[0]


def _both_timed_ms(text: str) -> tuple[float, float]:
    """Milliseconds `assess` takes on `text`: wall clock, and CPU time of this thread."""
    started, started_cpu = time.perf_counter(), time.thread_time()
    DETECTOR.assess(text)
    return (time.perf_counter() - started) * 1000, (time.thread_time() - started_cpu) * 1000


def _percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return round(ordered[len(ordered) // 2], 3), round(ordered[int(len(ordered) * 0.99)], 3)


def speed_line(rows: list[dict[str, Any]]) -> dict[str, Any]:
    rng = random.Random(SEED)
    texts = [row["text"] for row in rows]
    inputs = []
    for _ in range(SPEED_INPUTS):
        chunk = ""
        while len(chunk) < SPEED_INPUT_CHARS:
            chunk += rng.choice(texts) + "\n\n"
        inputs.append(chunk[:SPEED_INPUT_CHARS])
    for text in inputs[:20]:
        DETECTOR.assess(text)
    wall, cpu = zip(*(_both_timed_ms(text) for text in inputs), strict=True)
    p50, p99 = _percentiles(list(wall))
    cpu_p50, cpu_p99 = _percentiles(list(cpu))
    benign = "\n\n".join(row["text"] for row in rows if row["label"] == "benign")
    attacks = "\n\n".join(row["text"] for row in rows if row["label"] == "attack")
    large = {
        "text": (benign * (LARGE_INPUT_CHARS // len(benign) + 1))[:LARGE_INPUT_CHARS],
        "attacks": (attacks * (LARGE_INPUT_CHARS // len(attacks) + 1))[:LARGE_INPUT_CHARS],
        "base64_blob": base64.b64encode(rng.randbytes(LARGE_INPUT_CHARS * 3 // 4)).decode(),
    }
    throughput = {}
    for name, text in large.items():
        seconds = statistics.median(_timed_ms(text) / 1000 for _ in range(3))
        throughput[name] = round(len(text.encode()) / 1e6 / seconds, 2)
    return {
        "group": "speed",
        "input_chars": SPEED_INPUT_CHARS,
        "p50_ms": p50,
        "p99_ms": p99,
        "cpu_p50_ms": cpu_p50,
        "cpu_p99_ms": cpu_p99,
        "mb_per_s_1mb": throughput,
    }


def main() -> None:
    started = time.perf_counter()
    rows = load()
    common = {"bench": "guard_injection", "warn_at": WARN_AT, "block_at": BLOCK_AT}
    lines = [*corpus_lines(rows), obfuscated_line(rows), speed_line(rows)]
    for line in lines:
        print(json.dumps({**common, **line}))
    print(
        json.dumps(
            {
                **common,
                "group": "run",
                "seconds": round(time.perf_counter() - started, 1),
                "python": platform.python_version(),
            }
        )
    )


if __name__ == "__main__":
    main()
