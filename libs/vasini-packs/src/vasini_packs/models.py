"""Typed models of profession pack format 1.0, in agreement with `schemas/packs/*.json`.

The JSON Schemas are the source of truth; these models accept and reject the same
documents (a test checks both against shared fixtures) and fill in the same defaults.
Only what a JSON Schema can express lives here; cross-references between layers are
checked elsewhere.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

T = TypeVar("T")


def _as_tuple(value: object) -> object:
    """YAML gives lists; the frozen models hold tuples."""
    return tuple(value) if isinstance(value, list) else value


def _whole_number(value: object) -> object:
    """JSON Schema counts 5.0 as an integer, so the models take it as 5 (but not 2.5)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Conversions run before the constraints, which sit next to the type they constrain so
# that pydantic applies them natively (and `model_json_schema()` shows them properly).
_LIST = BeforeValidator(_as_tuple)
_WHOLE = BeforeValidator(_whole_number)

Items = Annotated[tuple[T, ...], _LIST]  # a list in the document, a tuple in the model

SchemaVersion = Annotated[str, Field(pattern=r"^\d+\.\d+$")]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
PackId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
SemVer = Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$")]
Duration = Annotated[str, Field(pattern=r"^[1-9][0-9]*(ms|s|m|h|d)$")]
MemorySize = Annotated[str, Field(pattern=r"^[1-9][0-9]*(Ki|Mi|Gi)$")]
Cost = Annotated[str, Field(pattern=r"^\$[0-9]+(\.[0-9]{1,2})?$")]
Host = Annotated[str, Field(pattern=r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$")]
Url = Annotated[str, Field(pattern=r"^https?://")]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]
IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
NonEmptyText = Annotated[str, Field(min_length=1)]
Threshold = Annotated[float, Field(ge=0, le=1)]
Temperature = Annotated[float, Field(ge=0, le=2)]
Cores = Annotated[float, Field(gt=0, le=64)]
Count = Annotated[int, Field(ge=1), _WHOLE]
BoundedCount = Annotated[int, Field(ge=1, le=1000), _WHOLE]
TokenCount = Annotated[int, Field(ge=1, le=1_000_000), _WHOLE]
Principles = Annotated[tuple[NonEmptyText, ...], Field(min_length=3, max_length=7), _LIST]
RiskLevel = Literal["low", "medium", "high", "critical"]
MemoryKind = Literal["episodic", "factual", "short_term", "cross_session"]


def _reference(value: dict[str, Any], *, inline_allowed: bool) -> dict[str, Any]:
    """Check the `{file}` / `{extends, override}` forms the manifest schema allows."""
    if "file" in value:
        form, allowed = "file", {"file"}
    elif "extends" in value:
        form, allowed = "extends", {"extends", "override"}
    elif inline_allowed:
        return value  # an inline layer; the composer validates it as that layer
    else:
        raise ValueError("a skill reference needs `file` or `extends`")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise ValueError(f"a `{form}` reference may not hold {', '.join(unknown)}")
    target = value.get(form)
    if not isinstance(target, str) or not target:
        raise ValueError(f"`{form}` must be a non-empty path")
    if not isinstance(value.get("override", {}), dict):
        raise ValueError("`override` must be a mapping")
    return value


def _layer_reference(value: dict[str, Any]) -> dict[str, Any]:
    return _reference(value, inline_allowed=True)


def _skill_reference(value: dict[str, Any]) -> dict[str, Any]:
    return _reference(value, inline_allowed=False)


LayerRef = Annotated[dict[str, Any], AfterValidator(_layer_reference)]
SkillRef = Annotated[dict[str, Any], AfterValidator(_skill_reference)]


class PackModel(BaseModel):
    """Base of every pack model: unknown keys, coercion and explicit nulls are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, regex_engine="python-re")

    nullable_fields: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _reject_null(cls, value: Any, info: ValidationInfo) -> Any:
        """An absent field is not the same as `null`, which the schemas refuse."""
        if value is None and info.field_name not in cls.nullable_fields:
            raise ValueError("null is not allowed here; leave the field out instead")
        return value


# --- manifest -------------------------------------------------------------------------


class Author(PackModel):
    """Who wrote the pack."""

    name: str
    signature: str | None = None
    provenance: str | None = None


class Compatibility(PackModel):
    """What the pack needs from the framework it runs on."""

    framework_min: SemVer | None = None
    framework_max: SemVer | None = None
    required_tools: Items[Identifier] | None = None
    required_memory: Items[MemoryKind] | None = None


class ModelSettings(PackModel):
    """What the pack asks of the language model."""

    tier: Literal["tier-1", "tier-2", "tier-3"] | None = None
    max_output_tokens: TokenCount | None = None
    temperature: Temperature | None = None


class TestedWith(PackModel):
    """One evaluation run the pack passed."""

    framework: str | None = None
    eval_version: str | None = None
    eval_score: Threshold | None = None
    date: IsoDate | None = None


class Manifest(PackModel):
    """The manifest, profession-pack.yaml."""

    schema_version: SchemaVersion
    pack_id: PackId
    version: SemVer
    risk_level: RiskLevel
    author: Author
    compatibility: Compatibility | None = None
    soul: LayerRef | None = None
    role: LayerRef
    tools: LayerRef | None = None
    guardrails: LayerRef | None = None
    memory: LayerRef | None = None
    workflow: LayerRef | None = None
    skills: Items[SkillRef] = ()
    model: ModelSettings | None = None
    tested_with: Items[TestedWith] | None = None


# --- SOUL -----------------------------------------------------------------------------


class Identity(PackModel):
    """The agent's name and languages."""

    name: str
    language: Language
    languages: Items[Language] | None = None


class Personality(PackModel):
    """How the agent behaves."""

    communication_style: Literal["formal", "professional", "casual", "academic"] | None = None
    verbosity: Literal["concise", "balanced", "detailed"] | None = None
    proactivity: Literal["reactive", "balanced", "proactive"] | None = None
    confidence_expression: Literal["cautious", "balanced", "assertive"] | None = None


class Tone(PackModel):
    """The agent's tone in different situations."""

    default: str | None = None
    on_success: str | None = None
    on_error: str | None = None
    on_uncertainty: str | None = None


class Adaptations(PackModel):
    """How the agent adapts to its audience."""

    beginner_user: str | None = None
    expert_user: str | None = None
    crisis_mode: str | None = None


class Soul(PackModel):
    """The SOUL layer: who the agent is."""

    schema_version: SchemaVersion
    identity: Identity
    personality: Personality
    tone: Tone | None = None
    principles: Principles | None = None
    adaptations: Adaptations | None = None


# --- ROLE -----------------------------------------------------------------------------


class Goal(PackModel):
    """What the agent is for."""

    primary: str
    secondary: Items[str] | None = None


class Metric(PackModel):
    """One measure of a competency."""

    name: str | None = None
    target: float | None = None


class Competency(PackModel):
    """One competency of the agent."""

    id: Identifier
    name: str
    level: Literal["novice", "competent", "proficient", "expert", "master"]
    evidence: Items[str] | None = None
    tasks: Items[str] | None = None
    metrics: Items[Metric] | None = None


class CompetencyGraph(PackModel):
    """The agent's competencies."""

    skills: Items[Competency] | None = None


class DomainKnowledge(PackModel):
    """What the agent knows about its field."""

    primary: Items[str] | None = None
    secondary: Items[str] | None = None


class Role(PackModel):
    """The ROLE layer: what the agent does."""

    schema_version: SchemaVersion
    title: str
    domain: str
    seniority: Literal["junior", "middle", "senior", "lead", "principal"]
    goal: Goal
    backstory: str | None = None
    competency_graph: CompetencyGraph | None = None
    domain_knowledge: DomainKnowledge | None = None
    limitations: Items[str] | None = None


# --- TOOLS ----------------------------------------------------------------------------


class Sandbox(PackModel):
    """Where and how a tool runs."""

    timeout: Duration | None = None
    memory_limit: MemorySize | None = None
    cpu_limit: Cores | None = None
    network: Literal["none", "egress_allowlist", "full"] = "none"
    egress_allowlist: Items[Host] | None = None
    filesystem: Literal["none", "read_only", "read_write", "scoped"] = "none"
    scoped_paths: Items[str] | None = None


class Tool(PackModel):
    """One tool the agent may call."""

    id: Identifier
    name: str
    description: str | None = None
    kind: Literal["builtin", "http"] = "builtin"
    parameters: dict[str, Any] | None = None
    endpoint: Url | None = None
    sandbox: Sandbox | None = None
    risk_level: RiskLevel = "medium"
    requires_approval: bool = False
    audit: bool = False


class ToolPolicies(PackModel):
    """Limits on tool use per task."""

    max_concurrent: Count | None = None
    max_calls_per_task: Count | None = None
    cost_limit_per_task: Cost | None = None


class Tools(PackModel):
    """The TOOLS layer: what the agent may use."""

    schema_version: SchemaVersion
    available: Items[Tool] | None = None
    denied: Items[Identifier] | None = None
    tool_policies: ToolPolicies | None = None


# --- SKILLS ---------------------------------------------------------------------------


class SkillFrontmatter(PackModel):
    """The YAML frontmatter of a skill file."""

    schema_version: SchemaVersion | None = None
    id: Identifier
    name: str
    trigger: str
    description: str | None = None
    required_tools: Items[Identifier] | None = None
    risk_level: RiskLevel | None = None
    estimated_duration: Duration | None = None


# --- GUARDRAILS -----------------------------------------------------------------------


class PiiDetection(PackModel):
    """Detection of personal data in input."""

    enabled: bool | None = None
    action: Literal["warn", "redact", "block"] | None = None


class ContentFilter(PackModel):
    """Filtering of harmful input."""

    enabled: bool | None = None
    categories: Items[str] | None = None


class InputGuardrails(PackModel):
    """Checks on what the agent is given."""

    max_length: Count = 50000
    sanitization: bool | None = None
    jailbreak_detection: bool | None = None
    pii_detection: PiiDetection | None = None
    content_filter: ContentFilter | None = None


class HallucinationCheck(PackModel):
    """Detection of unsupported claims in output."""

    enabled: bool | None = None
    confidence_threshold: Threshold | None = None


class OutputGuardrails(PackModel):
    """Checks on what the agent answers."""

    max_length: Count = 100000
    pii_check: bool | None = None
    hallucination_check: HallucinationCheck | None = None
    format_validation: bool | None = None
    source_citation_required: bool | None = None


class Behavioral(PackModel):
    """Rules on what the agent does."""

    prohibited_actions: Items[str] | None = None
    required_disclaimers: Items[str] | None = None
    escalation_triggers: Items[str] | None = None
    max_autonomous_steps: BoundedCount = 10


class Compliance(PackModel):
    """Regulatory rules the agent follows."""

    framework: Items[str] | None = None
    audit_all_decisions: bool | None = None
    data_classification: Literal["public", "internal", "confidential", "restricted"] | None = None


class Guardrails(PackModel):
    """The GUARDRAILS layer: the agent's limits; absent sections get their defaults."""

    schema_version: SchemaVersion
    input: InputGuardrails = Field(default_factory=InputGuardrails)
    output: OutputGuardrails = Field(default_factory=OutputGuardrails)
    behavioral: Behavioral = Field(default_factory=Behavioral)
    compliance: Compliance | None = None


# --- MEMORY ---------------------------------------------------------------------------


class ShortTermMemory(PackModel):
    """Memory of the current conversation."""

    enabled: bool = True
    ttl: Duration | None = None
    max_entries: Count | None = None


class EpisodicMemory(PackModel):
    """Memory of past episodes."""

    enabled: bool | None = None
    confidence_threshold: Threshold | None = None
    retrieval_top_k: BoundedCount | None = None
    similarity_threshold: Threshold | None = None
    source_required: bool | None = None


class FactualMemory(PackModel):
    """Memory of facts."""

    enabled: bool | None = None
    confidence_threshold: Threshold | None = None
    requires_evidence: bool | None = None
    requires_approval: bool | None = None
    versioned: bool | None = None


class CrossSessionMemory(PackModel):
    """Memory shared between sessions."""

    enabled: bool | None = None
    merge_strategy: Literal["latest", "highest_confidence", "manual"] | None = None


class Memory(PackModel):
    """The MEMORY layer: what the agent remembers."""

    schema_version: SchemaVersion
    short_term: ShortTermMemory | None = None
    episodic: EpisodicMemory | None = None
    factual: FactualMemory | None = None
    cross_session: CrossSessionMemory | None = None


# --- WORKFLOW -------------------------------------------------------------------------


class SopStep(PackModel):
    """One step of a standard operating procedure."""

    nullable_fields: ClassVar[frozenset[str]] = frozenset({"tool"})

    id: Identifier
    action: str
    tool: Identifier | None = None
    on_success: Identifier | None = None
    on_failure: Identifier | None = None
    timeout: Duration | None = None
    requires_approval: bool | None = None


class Sop(PackModel):
    """One standard operating procedure."""

    id: Identifier
    name: str
    trigger: str
    steps: Items[SopStep]
    max_duration: Duration | None = None
    escalation: str | None = None


class Handoff(PackModel):
    """When to pass work to another agent."""

    target_agent: PackId
    conditions: Items[str]
    context_transfer: Literal["full", "summary", "minimal"] = "summary"


class Reporting(PackModel):
    """How the agent reports on its work."""

    progress_updates: bool | None = None
    completion_report: bool | None = None
    format: Literal["structured", "narrative", "minimal"] | None = None


class Workflow(PackModel):
    """The WORKFLOW layer: how the agent works."""

    schema_version: SchemaVersion
    default_process: Literal["sequential", "parallel", "adaptive"] = "sequential"
    sop: Items[Sop] | None = None
    handoffs: Items[Handoff] | None = None
    reporting: Reporting | None = None


LAYER_MODELS: dict[str, type[BaseModel]] = {
    "soul": Soul,
    "role": Role,
    "tools": Tools,
    "guardrails": Guardrails,
    "memory": Memory,
    "workflow": Workflow,
}

SCHEMA_FILES: dict[str, str] = {
    kind: f"{kind}.schema.json" for kind in ("manifest", *LAYER_MODELS, "skill")
}
