"""Prompt firewall benchmark: PII accuracy on a labelled generated set, and speed.

Prints one JSON line per group:

- `guard_pii_accuracy`: recall and precision per PII type. Values are generated with
  correct checksums (Luhn, mod-97, SSA rules, libphonenumber's numbering plans) in
  realistic sentences, written the ways people write them (cards grouped or not, IBANs
  printed or electronic, phones national and international in US/GB/DE/FR styles).
  Hard negatives sit in the same texts and in texts of their own: order, invoice and
  ticket numbers, dates, times, version strings, ISBNs, tracking numbers, card-like
  numbers failing the Luhn check, IBANs with a wrong check, random 9-digit numbers,
  amounts, UUIDs, hashes. A detection counts only with its exact span and type; any
  other detection is a false positive of its type.
- `guard_scan_speed`: the full `scan` (default injection detector, PII, secrets) on
  2 KB inputs made of the same sentences and prose, p50/p99 ms; PII and secrets alone;
  MB/s of the full scan and of PII+secrets on one 1 MB input.
- `guard_cli`: `vasini guard scan` in a fresh process reading CLI_LINES JSON lines
  (150 characters of text each) through a pipe: its start-up (the same command on
  empty input), lines/s over the whole run and after start-up, and the time a million
  such lines would take.
"""

from __future__ import annotations

import json
import os
import platform
import random
import string
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import phonenumbers

from vasini_guard.checksums import luhn_valid
from vasini_guard.credentials import SecretDetector
from vasini_guard.firewall import scan
from vasini_guard.pii import PiiDetector

SEED = 20261125
VALUES_PER_TYPE = 1000  # phones: this many per region
NEGATIVE_TEXTS = 3000
SPEED_INPUTS = 500
CLI_LINES = 20_000
PHONE_REGIONS = ("US", "GB", "DE", "FR")

rng = random.Random(SEED)

FIRST = ("jane", "john", "maria", "li", "ahmed", "olga", "pierre", "anna", "kenji", "chloe")
LAST = ("doe", "smith", "garcia", "wang", "khan", "ivanova", "dubois", "muller", "okafor")
DOMAINS = ("example.com", "mail.example.org", "corp.example.co.uk", "my-shop.example.de", "a.io")
FILLER = (
    "Thanks for getting back to me so quickly.",
    "We reviewed the pull request and the tests pass.",
    "Let me know if anything else is needed before the release.",
    "The meeting moved to Thursday afternoon.",
    "I attached the logs from last night's deployment.",
    "The dashboard shows a spike in latency around noon.",
)
TEMPLATES = {
    "email": ("Please write to {v} when you can.", "My address is {v}.", "cc: {v}"),
    "phone": (
        "Call me at {v} tomorrow.",
        "My number is {v}.",
        "Reach the front desk on {v} (ask for Anna).",
        "Tel: {v}",
    ),
    "payment card": (
        "My card number is {v}, exp 12/29.",
        "Charge it to {v} please.",
        "card: {v}",
    ),
    "iban": ("Please wire the money to {v} by Friday.", "IBAN: {v}", "Account {v} (Sparkasse)."),
    "ssn": ("My social security number is {v}.", "SSN {v} on file.", "applicant ssn: {v}"),
    "ip address": ("The request came from {v} at noon.", "Allow {v} in the firewall."),
}


@dataclass
class Sample:
    text: str
    labels: list[tuple[str, int, int]] = field(default_factory=list)


# --- valid values ----------------------------------------------------------------------


def email() -> str:
    local = rng.choice(
        [
            f"{rng.choice(FIRST)}.{rng.choice(LAST)}",
            f"{rng.choice(FIRST)}{rng.randint(1, 99)}",
            f"{rng.choice(FIRST)}_{rng.choice(LAST)}+news",
            f"{rng.choice(FIRST).title()}.{rng.choice(LAST).title()}",
        ]
    )
    domain = rng.choice(DOMAINS)
    return f"{local}@{domain.upper() if rng.random() < 0.05 else domain}"


def _digits(count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


def _with_luhn(body: str) -> str:
    return next(body + d for d in string.digits if luhn_valid(body + d))


CARD_KINDS: tuple[tuple[Callable[[], str], int, tuple[int, ...]], ...] = (
    (lambda: "4", 16, (4, 4, 4, 4)),  # Visa
    (lambda: "4", 13, (4, 4, 5)),
    (lambda: str(rng.randint(51, 55)), 16, (4, 4, 4, 4)),  # Mastercard
    (lambda: str(rng.randint(2221, 2720)), 16, (4, 4, 4, 4)),
    (lambda: rng.choice(("34", "37")), 15, (4, 6, 5)),  # Amex
    (lambda: rng.choice(("6011", "65", str(rng.randint(644, 649)))), 16, (4, 4, 4, 4)),
    (lambda: rng.choice(("36", "38", str(rng.randint(300, 305)))), 14, (4, 6, 4)),  # Diners
    (lambda: str(rng.randint(3528, 3589)), 16, (4, 4, 4, 4)),  # JCB
    (lambda: "62", 16, (4, 4, 4, 4)),  # UnionPay
    (lambda: "62", 19, (4, 4, 4, 4, 3)),
    (lambda: rng.choice(("6759", "5018", "6304")), 12, (4, 4, 4)),  # Maestro
)


def card(valid: bool = True) -> str:
    prefix, length, grouping = rng.choice(CARD_KINDS)
    start = prefix()
    number = _with_luhn(start + _digits(length - len(start) - 1))
    if not valid:
        number = number[:-1] + str((int(number[-1]) + rng.randint(1, 9)) % 10)
    separator = rng.choice(("", " ", " ", "-"))
    if not separator:
        return number
    groups, position = [], 0
    for size in grouping:
        groups.append(number[position : position + size])
        position += size
    return separator.join(groups)


IBAN_FORMATS = {
    "DE": "8n10n", "GB": "4a6n8n", "FR": "5n5n11c2n", "ES": "4n4n1n1n10n", "IT": "1a5n5n12c",
    "NL": "4a10n", "BE": "3n7n2n", "CH": "5n12c", "AT": "5n11n", "PL": "8n16n",
    "PT": "4n4n11n2n", "IE": "4a6n8n", "SE": "3n16n1n", "NO": "4n6n1n", "DK": "4n9n1n",
}  # fmt: skip


def iban(valid: bool = True) -> str:
    country = rng.choice(sorted(IBAN_FORMATS))
    spec = IBAN_FORMATS[country]
    bban = ""
    for size, kind in ((int(s[:-1]), s[-1]) for s in _tokens(spec)):
        alphabet = {"n": string.digits, "a": string.ascii_uppercase}.get(
            kind, string.digits + string.ascii_uppercase
        )
        bban += "".join(rng.choice(alphabet) for _ in range(size))
    remainder = int("".join(str(int(c, 36)) for c in bban + country + "00")) % 97
    check = 98 - remainder if valid else (98 - remainder) % 97 + 1
    compact = f"{country}{check:02d}{bban}"
    if rng.random() < 0.5:
        return compact
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _tokens(spec: str) -> list[str]:
    out, number = [], ""
    for char in spec:
        number += char
        if char.isalpha():
            out.append(number)
            number = ""
    return out


def ssn() -> str:
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            break
    digits = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
    style = rng.random()
    if style < 0.8:
        return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    if style < 0.9:
        return f"{digits[:3]} {digits[3:5]} {digits[5:]}"
    return digits  # only in the labelled template (`SSN ...`)


def phone(region: str) -> str:
    national_lengths = {"US": (10,), "GB": (10,), "DE": (10, 11), "FR": (9,)}
    while True:
        number = rng.choice(("1", "2", "3", "6", "7", "8", "9")) + _digits(
            rng.choice(national_lengths[region]) - 1
        )
        parsed = phonenumbers.parse(number, region)
        if phonenumbers.is_valid_number(parsed):
            break
    formats = phonenumbers.PhoneNumberFormat
    national = phonenumbers.format_number(parsed, formats.NATIONAL)
    style = rng.random()
    if style < 0.4:
        return national
    if style < 0.7:
        return phonenumbers.format_number(parsed, formats.INTERNATIONAL)
    if style < 0.8:
        return phonenumbers.format_number(parsed, formats.E164)
    # How people also write them: dots or a leading 1 in the US, dots in France, a
    # slash in Germany, the trunk 0 in brackets or the 00 prefix across Europe.
    digits = "".join(c for c in national if c.isdigit())
    code = str(parsed.country_code)
    variants = {
        "US": (
            f"{digits[:3]}-{digits[3:6]}-{digits[6:]}",
            f"{digits[:3]}.{digits[3:6]}.{digits[6:]}",
            f"+1 ({digits[:3]}) {digits[3:6]}-{digits[6:]}",
            f"1-{digits[:3]}-{digits[3:6]}-{digits[6:]}",
        ),
        "FR": (".".join(digits[i : i + 2] for i in range(0, 10, 2)),),
        "DE": (national.replace(" ", "/", 1),),
        "GB": (),
    }[region]
    if region != "US":
        variants += (f"+{code} (0){national[1:]}", f"00{code} {national[1:]}")
    return rng.choice(variants)


def ip_address() -> str:
    if rng.random() < 0.7:
        first = rng.choice([n for n in range(11, 224) if n != 127])  # not loopback
        return ".".join(str(n) for n in (first, *rng.choices(range(256), k=3)))
    groups = ["2001", f"{rng.randint(0x0DB8, 0x0FFF):x}"] + [
        f"{rng.randint(0, 0xFFFF):x}" for _ in range(6)
    ]
    if rng.random() < 0.5:
        groups[3:6] = ["", ""] if rng.random() < 0.5 else ["0", "0", "0"]
    text = ":".join(groups)
    return text.replace(":::", "::")


# --- hard negatives ----------------------------------------------------------------------


def _isbn13() -> str:
    body = "978" + _digits(9)
    check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
    digits = body + str(check)
    return f"ISBN {digits[:3]}-{digits[3]}-{digits[4:6]}-{digits[6:12]}-{digits[12]}"


def _isbn10() -> str:
    body = _digits(9)
    check = (11 - sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11) % 11
    return f"ISBN {body[0]}-{body[1:4]}-{body[4:9]}-{'X' if check == 10 else check}"


NEGATIVES: tuple[Callable[[], str], ...] = (
    lambda: f"Order #{_digits(rng.randint(6, 10))} shipped yesterday.",
    lambda: f"Your order number is {rng.randint(1, 9)}{_digits(9)}.",
    lambda: f"Invoice No. {rng.randint(1, 9)}{_digits(9)} is attached.",
    lambda: f"Ticket {rng.randint(1, 9)}{_digits(6)} was closed.",
    lambda: f"It was released on 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}.",
    lambda: f"See you on {rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2026 at 10:30.",
    lambda: f"Due {rng.randint(1, 12)}/{rng.randint(1, 28)}/2026, around 14:45:10.",
    lambda: f"Upgrade to v{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)} first.",
    lambda: f"Python {rng.randint(2, 3)}.{rng.randint(0, 13)}.{rng.randint(0, 9)} is required.",
    lambda: f"Windows version 10.0.{rng.randint(10000, 22999)}.{rng.randint(100, 9999)}.",
    lambda: f"Firmware release {'.'.join(str(rng.randint(0, 9)) for _ in range(4))} is out.",
    lambda: f"The book is {_isbn13()}.",
    lambda: f"Older edition: {_isbn10()}.",
    lambda: f"UPS tracking 1Z{''.join(rng.choices(string.ascii_uppercase + string.digits, k=16))}",
    lambda: "USPS tracking number 9400 " + " ".join(_digits(4) for _ in range(4)) + " 12.",
    lambda: f"FedEx tracking number {_digits(12)}.",
    lambda: f"That card {card(valid=False)} was declined.",
    lambda: f"Not a number anywhere: +1 {rng.choice(('123', '012', '555'))} 456 {_digits(4)}.",
    lambda: f"Reference code {rng.randint(1, 9)}{_digits(8)}.",
    lambda: f"Random id {rng.randint(1, 9)}{_digits(8)} in the logs.",
    lambda: f"IBAN {iban(valid=False)} bounced.",
    lambda: f"It costs ${rng.randint(1, 999)},{_digits(3)},{_digits(3)}.{_digits(2)} per year.",
    lambda: f"Total: {rng.randint(1, 99)}.{_digits(3)},{_digits(2)} EUR.",
    lambda: f"Request id {rng.getrandbits(128):032x} failed.",
    lambda: f"Commit {rng.getrandbits(160):040x} fixed it.",
    lambda: f"ZIP code {_digits(5)}-{_digits(4)}, lat 37.{_digits(4)}, lon -122.{_digits(4)}.",
    lambda: f"Listening on 0.0.0.0:{rng.randint(1024, 65535)} and 127.0.0.1.",
    lambda: f"The build took {rng.randint(1, 59)}:{rng.randint(10, 59)} minutes, {_digits(3)} ms.",
    lambda: f"Room {rng.randint(100, 999)}, floor {rng.randint(1, 30)}, badge {_digits(7)}.",
)


# --- the labelled set --------------------------------------------------------------------


def _sample(kind: str, value: str) -> Sample:
    template = rng.choice(TEMPLATES[kind])
    if kind == "ssn" and value.isdigit():
        template = "SSN: {v}"
    before = rng.choice(FILLER) + " " if rng.random() < 0.5 else ""
    sentence_start = len(before) + template.index("{v}")
    text = before + template.replace("{v}", value)
    if rng.random() < 0.3:
        text += " " + rng.choice(NEGATIVES)()
    return Sample(text, [(kind, sentence_start, sentence_start + len(value))])


def labelled_set() -> list[Sample]:
    samples: list[Sample] = []
    generators: dict[str, Callable[[], str]] = {
        "email": email,
        "payment card": card,
        "iban": iban,
        "ssn": ssn,
        "ip address": ip_address,
    }
    for kind, generate in generators.items():
        samples += [_sample(kind, generate()) for _ in range(VALUES_PER_TYPE)]
    for region in PHONE_REGIONS:
        samples += [_sample("phone", phone(region)) for _ in range(VALUES_PER_TYPE)]
    samples += [Sample(rng.choice(NEGATIVES)()) for _ in range(NEGATIVE_TEXTS)]
    return samples


def accuracy(samples: list[Sample]) -> dict[str, object]:
    detector = PiiDetector()
    expected: Counter[str] = Counter()
    found: Counter[str] = Counter()
    true_positive: Counter[str] = Counter()
    false_examples: dict[str, list[str]] = {}
    for sample in samples:
        labels = set(sample.labels)
        expected.update(kind for kind, _, _ in labels)
        for detection in detector.detect(sample.text):
            found[detection.detail] += 1
            if (detection.detail, detection.start, detection.end) in labels:
                true_positive[detection.detail] += 1
            else:
                false_examples.setdefault(detection.detail, []).append(
                    sample.text[detection.start : detection.end]
                )
    kinds = sorted(expected | found)
    return {
        "bench": "guard_pii_accuracy",
        "values": dict(expected),
        "negative_texts": NEGATIVE_TEXTS,
        "recall": {k: round(true_positive[k] / expected[k], 4) for k in kinds if expected[k]},
        "precision": {k: round(true_positive[k] / found[k], 4) for k in kinds if found[k]},
        "false_positive_examples": {k: v[:3] for k, v in sorted(false_examples.items())},
    }


# --- speed -----------------------------------------------------------------------------


def _page(samples: list[Sample], size: int) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        part = rng.choice(samples).text if rng.random() < 0.4 else rng.choice(FILLER)
        parts.append(part)
        length += len(part) + 1
    return " ".join(parts)[:size]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(int(len(ordered) * share), len(ordered) - 1)], 3)


def _timings(run: Callable[[str], object], inputs: list[str]) -> list[float]:
    run(inputs[0])  # warm: compiled patterns, phone metadata loaded
    timings = []
    for text in inputs:
        started = time.perf_counter()
        run(text)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def speed(samples: list[Sample]) -> dict[str, object]:
    pages = [_page(samples, 2048) for _ in range(SPEED_INPUTS)]
    pii, secrets = PiiDetector(), SecretDetector()
    full = _timings(lambda text: scan(text, direction="input"), pages)
    pii_only = _timings(pii.detect, pages)
    secrets_only = _timings(secrets.detect, pages)
    megabyte = _page(samples, 1024 * 1024)
    started = time.perf_counter()
    scan(megabyte, direction="input")
    full_mb = time.perf_counter() - started
    started = time.perf_counter()
    pii.detect(megabyte)
    secrets.detect(megabyte)
    sensitive_mb = time.perf_counter() - started
    return {
        "bench": "guard_scan_speed",
        "inputs": SPEED_INPUTS,
        "input_chars": 2048,
        "scan_p50_ms": _percentile(full, 0.5),
        "scan_p99_ms": _percentile(full, 0.99),
        "pii_p50_ms": _percentile(pii_only, 0.5),
        "pii_p99_ms": _percentile(pii_only, 0.99),
        "secrets_p50_ms": _percentile(secrets_only, 0.5),
        "secrets_p99_ms": _percentile(secrets_only, 0.99),
        "scan_1mb_mb_per_s": round(1 / full_mb, 2),
        "pii_and_secrets_1mb_mb_per_s": round(1 / sensitive_mb, 2),
    }


def _run_cli(payload: bytes) -> float:
    """Seconds `vasini guard scan` takes on `payload`, in a fresh process."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "vasini_cli.main", "guard", "scan"],
        input=payload,
        capture_output=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    answered = done.stdout.count(b"\n")
    if done.returncode != 0 or answered != payload.count(b"\n"):
        raise SystemExit(f"vasini guard scan failed ({done.returncode}): {done.stderr[-500:]!r}")
    return elapsed


def cli(samples: list[Sample]) -> dict[str, object]:
    lines = [json.dumps({"id": n, "text": _page(samples, 150)}) for n in range(CLI_LINES)]
    start_up = _run_cli(b"")
    elapsed = _run_cli(("\n".join(lines) + "\n").encode())
    steady = CLI_LINES / (elapsed - start_up)
    return {
        "bench": "guard_cli",
        "lines": CLI_LINES,
        "chars_per_line": 150,
        "start_up_s": round(start_up, 2),
        "seconds": round(elapsed, 2),
        "lines_per_s": round(CLI_LINES / elapsed),
        "lines_per_s_after_start_up": round(steady),
        "million_lines_s": round(start_up + 1_000_000 / steady),
    }


def main() -> None:
    machine = {"cpus": os.cpu_count(), "python": platform.python_version()}
    samples = labelled_set()
    for group in (accuracy(samples), speed(samples), cli(samples)):
        print(json.dumps({**group, "machine": machine}), flush=True)


if __name__ == "__main__":
    main()
