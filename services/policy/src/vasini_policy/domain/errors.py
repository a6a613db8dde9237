"""Errors of policy: one base, split into permanent (the event can never succeed) and
transient (retrying may help). Only `handlers.py` turns them into delivery outcomes."""

from __future__ import annotations


class PolicyError(Exception):
    """Base of every policy error. `code` is stable and machine-readable."""

    code = "POLICY_ERROR"


class PermanentPolicyError(PolicyError):
    """Redelivering the same event cannot succeed: it goes to the dead letters."""


class TransientPolicyError(PolicyError):
    """A dependency hiccup; redelivery may succeed."""


class RunNotAdmitted(PermanentPolicyError):
    """An output arrived for a run policy never admitted (blocked, unknown, or another
    tenant's): nothing may release it to the client."""

    code = "RUN_NOT_ADMITTED"

    def __init__(self, run_id: str) -> None:
        super().__init__(f"policy never admitted run {run_id}; its output is not released")
        self.run_id = run_id


class RunIdTaken(PermanentPolicyError):
    """A run id already admitted for another tenant (run ids are unique platform-wide)."""

    code = "RUN_ID_TAKEN"

    def __init__(self, run_id: str) -> None:
        super().__init__(f"run id {run_id} is already used by another tenant")
        self.run_id = run_id


class ApprovalUnknown(PermanentPolicyError):
    """A decision on an approval policy never asked for (or another tenant's)."""

    code = "APPROVAL_UNKNOWN"

    def __init__(self, approval_id: str) -> None:
        super().__init__(f"policy never asked for approval {approval_id}")
        self.approval_id = approval_id
