"""Pack benchmark: compose + validate time of the reference pack, and packs/s.

Prints one JSON line.

- cold: a fresh interpreter imports vasini_packs, then composes and validates
  packs/senior-python-dev once (schemas loaded and compiled inside the timing);
  median of COLD_RUNS processes. `cold_with_import_ms` also counts the import.
- warm: the same call repeated in one process, median.
- throughput: GENERATED_PACKS packs (copies of the reference pack, each with its own
  pack_id, version and principles, next to a copy of packs/_shared) validated in one
  process with `check_pack`; packs/s = GENERATED_PACKS / wall time.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vasini_packs import check_pack, load_pack

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "packs" / "senior-python-dev"
COLD_RUNS = 15
WARM_RUNS = 200
GENERATED_PACKS = 1000

_COLD_PROBE = """
import sys, time
from pathlib import Path
started = time.perf_counter()
from vasini_packs import load_pack
imported = time.perf_counter()
load_pack(Path(sys.argv[1]))
done = time.perf_counter()
print((imported - started) * 1000, (done - imported) * 1000)
"""


def cold() -> dict[str, float]:
    compose, with_import = [], []
    for _ in range(COLD_RUNS):
        out = subprocess.run(
            [sys.executable, "-c", _COLD_PROBE, str(REFERENCE)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        import_ms, compose_ms = float(out[0]), float(out[1])
        compose.append(compose_ms)
        with_import.append(import_ms + compose_ms)
    return {
        "cold_ms": round(statistics.median(compose), 2),
        "cold_with_import_ms": round(statistics.median(with_import), 2),
    }


def warm() -> float:
    load_pack(REFERENCE)
    timings = []
    for _ in range(WARM_RUNS):
        started = time.perf_counter()
        load_pack(REFERENCE)
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 3)


def generate(folder: Path) -> list[Path]:
    shutil.copytree(ROOT / "packs" / "_shared", folder / "_shared")
    manifest = (REFERENCE / "profession-pack.yaml").read_text()
    soul = (REFERENCE / "SOUL.yaml").read_text()
    packs = []
    for number in range(GENERATED_PACKS):
        pack = folder / f"generated-{number}"
        shutil.copytree(REFERENCE, pack)
        (pack / "profession-pack.yaml").write_text(
            manifest.replace("pack_id: senior-python-dev", f"pack_id: generated-{number}").replace(
                "version: 1.0.0", f"version: 1.{number // 100}.{number % 100}"
            )
        )
        (pack / "SOUL.yaml").write_text(soul.replace("Architect", f"Architect {number}"))
        packs.append(pack)
    return packs


def throughput() -> dict[str, float | int]:
    with tempfile.TemporaryDirectory(prefix="vasini-bench-packs-") as tmp:
        packs = generate(Path(tmp))
        started = time.perf_counter()
        reports = [check_pack(pack) for pack in packs]
        elapsed = time.perf_counter() - started
    invalid = [str(report.path) for report in reports if not report.ok]
    if invalid:
        raise SystemExit(f"generated packs failed validation: {invalid[:3]}")
    return {
        "packs": len(reports),
        "seconds": round(elapsed, 3),
        "packs_per_s": round(len(reports) / elapsed, 1),
    }


def main() -> None:
    print(
        json.dumps(
            {
                "bench": "packs",
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "reference_pack": REFERENCE.name,
                **cold(),
                "warm_ms": warm(),
                "validate_generated": throughput(),
            }
        )
    )


if __name__ == "__main__":
    main()
