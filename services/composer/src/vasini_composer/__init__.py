"""The composer: resolves a run's pack reference (`id`, `id@version`, `id:channel`) to a
validated, digested pack and emits the composed agent config (`run.composed`), or fails
the run (`run.failed`, PACK_NOT_FOUND / PACK_INVALID)."""

from __future__ import annotations
