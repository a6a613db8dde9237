"""vasini-packs: read, compose, validate, digest and prompt profession packs.

`check_pack(path)` validates a pack folder and reports every problem; `load_pack(path)`
returns the `ComposedPack` or raises `PackInvalid`. Both never raise anything else for
content found in the folder.
"""

from __future__ import annotations

from vasini_packs.composed import ComposedPack, Skill
from vasini_packs.composer import MANIFEST_FILE
from vasini_packs.digest import pack_digest
from vasini_packs.errors import Origin, PackError, PackInvalid, Problem
from vasini_packs.prompt import build_prompt
from vasini_packs.validator import Report, check_pack, load_pack

__all__ = [
    "MANIFEST_FILE",
    "ComposedPack",
    "Origin",
    "PackError",
    "PackInvalid",
    "Problem",
    "Report",
    "Skill",
    "build_prompt",
    "check_pack",
    "load_pack",
    "pack_digest",
]
