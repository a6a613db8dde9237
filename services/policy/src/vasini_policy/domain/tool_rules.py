"""Tool-call authorization: the rules, in order; the first verdict that is not "allow"
decides, and names its rule (the audit and the model both see it).

1. `denied_tools`: the pack's TOOLS `denied` lists the tool.
2. `undeclared_tool`: the pack does not declare the tool in TOOLS `available`.
3. `prohibited_actions`: the call's tool id or arguments contain one of the pack's
   GUARDRAILS `behavioral.prohibited_actions` (case and spacing ignored). These are
   sentences for the model; matching them literally only stops the obvious cases.
4. `max_calls_per_task`: the run already had that many calls authorized or sent for
   approval (TOOLS `tool_policies.max_calls_per_task`).
5. `max_autonomous_steps`: the call comes from a step past the pack's limit.
6. Approval: the tool `requires_approval` (`requires_approval`), its risk is high or
   critical (`tool_risk`), or the pack's `risk_level` is critical (`pack_risk`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from vasini_packs.models import Guardrails, RiskLevel, Tool, Tools
from vasini_packs.units import seconds

DEFAULT_TIMEOUT_S = 30.0
Verdict = Literal["allow", "deny", "approve"]


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A requested call, as the rules see it."""

    tool_id: str
    step: int
    arguments: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    rule: str
    reason: str
    tool: Tool | None = None  # the declaration, when the pack declares the tool
    risk: RiskLevel = "medium"

    @property
    def timeout_s(self) -> float:
        sandbox = self.tool.sandbox if self.tool else None
        return seconds(sandbox.timeout) if sandbox and sandbox.timeout else DEFAULT_TIMEOUT_S


def decide(
    call: ToolCall,
    *,
    tools: Tools | None,
    guardrails: Guardrails,
    pack_risk: RiskLevel,
    calls_so_far: int,
) -> Decision:
    """The verdict on `call`; `calls_so_far`: the run's calls already authorized or
    sent for approval."""
    declared = {tool.id: tool for tool in (tools.available or ())} if tools else {}
    if tools and call.tool_id in (tools.denied or ()):
        return Decision("deny", "denied_tools", f"the pack denies the tool `{call.tool_id}`")
    tool = declared.get(call.tool_id)
    if tool is None:
        known = ", ".join(sorted(declared)) or "none"
        return Decision(
            "deny",
            "undeclared_tool",
            f"the pack declares no tool `{call.tool_id}`; its tools: {known}",
        )
    risk: RiskLevel = "critical" if pack_risk == "critical" else tool.risk_level
    policies = tools.tool_policies if tools else None
    refusal = _refusal(
        call,
        guardrails,
        calls_so_far,
        policies.max_calls_per_task if policies else None,
    ) or _approval_rule(tool, pack_risk)
    if refusal is None:
        return Decision("allow", "allowed", "no rule refuses the call", tool, risk)
    verdict, rule, reason = refusal
    return Decision(verdict, rule, reason, tool, risk)


Refusal = tuple[Verdict, str, str]


def _refusal(
    call: ToolCall, guardrails: Guardrails, calls_so_far: int, max_calls: int | None
) -> Refusal | None:
    """Rules 3-5 (see the module docstring), for a declared tool."""
    prohibited = _prohibited(call, guardrails.behavioral.prohibited_actions or ())
    if prohibited is not None:
        return (
            "deny",
            "prohibited_actions",
            f"the call matches a prohibited action of the pack: {prohibited!r}",
        )
    if max_calls is not None and calls_so_far >= max_calls:
        return (
            "deny",
            "max_calls_per_task",
            f"the run already made {calls_so_far} tool call(s), the pack's limit "
            "(tools.tool_policies.max_calls_per_task)",
        )
    steps = guardrails.behavioral.max_autonomous_steps
    if call.step > steps:
        return (
            "deny",
            "max_autonomous_steps",
            f"step {call.step} is past the pack's limit of {steps} autonomous steps",
        )
    return None


def _approval_rule(tool: Tool, pack_risk: RiskLevel) -> Refusal | None:
    """Rule 6."""
    if tool.requires_approval:
        return "approve", "requires_approval", f"the pack requires approval for `{tool.id}`"
    if tool.risk_level in ("high", "critical"):
        return "approve", "tool_risk", f"`{tool.id}` is a {tool.risk_level}-risk tool"
    if pack_risk == "critical":
        return (
            "approve",
            "pack_risk",
            "the pack's risk level is critical: every tool call needs approval",
        )
    return None


def _prohibited(call: ToolCall, actions: tuple[str, ...] | list[str]) -> str | None:
    text = _normal(call.tool_id + " " + json.dumps(call.arguments, ensure_ascii=False))
    for action in actions:
        phrase = _normal(action)
        if phrase and phrase in text:
            return action
    return None


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip()
