"""Type stubs of the Rust extension ``hedgehog_fabric._native``."""

from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypedDict, final

JSON = Any
Obj = dict[str, Any]
ObjLike = Mapping[str, Any]

VERSION: str

class Diagnostic(TypedDict):
    severity: Literal["error", "warning"]
    code: str
    message: str
    kind: str | None
    namespace: str | None
    name: str | None
    path: str | None
    file: str | None
    line: int | None
    column: int | None

class ValidationReport(TypedDict):
    objects: int
    errors: int
    warnings: int
    diagnostics: list[Diagnostic]

class ParsedDocument(TypedDict):
    index: int
    file: str | None
    line: int | None
    column: int | None
    kind: str | None
    apiVersion: str | None
    name: str
    namespace: str
    object: Obj
    unknown: list[str]

class Parsed(TypedDict):
    documents: list[ParsedDocument]
    diagnostics: list[Diagnostic]

class KindInfo(TypedDict):
    kind: str
    group: str
    version: str
    apiVersion: str
    plural: str

class Change(TypedDict):
    path: str
    op: Literal["added", "removed", "changed"]
    before: JSON
    after: JSON

State = Literal[
    "in_sync", "pending_commit", "pending_apply", "drifted", "missing_in_cluster", "orphaned", "conflict", "unknown"
]
FabricStatus = Literal["in_sync", "drift_detected", "git_ahead", "cluster_ahead", "conflicts", "incomplete"]

class UnreadKind(TypedDict):
    api_group: str
    kind: str
    reason: str

class DriftSummary(TypedDict):
    status: FabricStatus
    counts: dict[str, int]
    by_kind: dict[str, dict[str, int]]
    unread_kinds: list[UnreadKind]

class DriftReport(TypedDict):
    summary: DriftSummary
    objects: list[Obj]

ErrorCode = Literal[
    "api.internal",
    "auth.forbidden",
    "auth.unauthorized",
    "body.not-utf8",
    "body.too-large",
    "body.unreadable",
    "config.access",
    "config.credentials",
    "config.hydrate-mode",
    "config.invalid",
    "config.kind",
    "config.layout",
    "config.policy",
    "config.preset",
    "config.timeout",
    "daemon.starting",
    "fabric.fenced",
    "fabric.forward-failed",
    "fabric.not-found",
    "fabric.not-synced",
    "fabric.unowned",
    "git.auth",
    "git.conflict",
    "git.error",
    "git.invalid-input",
    "git.invalid-path",
    "git.not-found",
    "git.rejected",
    "git.timeout",
    "git.too-large",
    "hydrate.failed",
    "input.invalid",
    "input.too-deep",
    "internal",
    "internal.convert",
    "internal.runtime",
    "internal.task",
    "kube.config",
    "kube.connect",
    "kube.dns",
    "kube.error",
    "kube.forbidden",
    "kube.object",
    "kube.timeout",
    "kube.tls",
    "kube.unauthorized",
    "kube.writes-disabled",
    "method.not-allowed",
    "operation.not-found",
    "path.invalid",
    "plan.base-missing",
    "plan.conflict",
    "plan.empty-desired-state",
    "plan.mass-deletion",
    "plan.refused",
    "query.invalid",
    "render.not-loaded",
    "request.invalid",
    "request.timeout",
    "route.not-found",
    "sample.failed",
    "server.busy",
    "settings.invalid",
    "snapshot.duplicate",
    "snapshot.misplaced",
    "snapshot.unreadable",
    "unavailable",
]
"""Every error code the package raises (``list_codes()`` has their meanings)."""

class CodeInfo(TypedDict):
    code: str
    meaning: str
    kind: Literal["error", "diagnostic"]
    retry: bool | None

class HedgehogError(Exception):
    """Base class of every error the package raises."""

    code: ErrorCode

class ParseError(HedgehogError): ...

class ValidationError(HedgehogError):
    diagnostics: list[Diagnostic]
    conflicts: list[Obj]

class GitError(HedgehogError): ...
class KubeError(HedgehogError): ...
class ConfigError(HedgehogError): ...

def validate(
    text: str, *, fabric: bool = True, config: ObjLike | None = None, hydrate: str | None = None
) -> ValidationReport:
    """Validates YAML/JSON text exactly as ``hedgehogd validate --format json -`` does."""

def validate_objects(
    objects: Sequence[ObjLike], *, fabric: bool = True, config: ObjLike | None = None, hydrate: str | None = None
) -> ValidationReport:
    """Validates objects given as dicts (no source positions)."""

def parse_documents(text: str, source: str | None = None) -> Parsed:
    """Parses YAML/JSON text into documents with their positions."""

def default(obj: ObjLike) -> Obj:
    """The object with upstream's defaulting applied."""

def validate_change(
    before: Sequence[ObjLike], after: Sequence[ObjLike], *, config: ObjLike | None = None
) -> list[Diagnostic]:
    """Upstream's change-safety rules for replacing ``before`` with ``after``."""

def render_yaml(objects: Sequence[ObjLike], *, headers: bool = False) -> str:
    """Canonical multi-document YAML (hhfab kind order, stable keys)."""

def diagram(
    text: str, format: Literal["drawio", "dot", "mermaid", "svg"] = "svg", *, config: ObjLike | None = None
) -> str:
    """The wiring drawn as draw.io XML, Graphviz dot, Mermaid or SVG (deterministic bytes).

    Raises ``ValueError`` for another format, ``ParseError`` (with ``diagnostics``) when the
    text cannot be loaded."""

def hydrate(
    objects: Sequence[ObjLike], *, mode: str = "if-not-present", config: ObjLike | None = None
) -> list[Obj]:
    """Hydrates wiring as hhfab does; raises ValidationError when impossible."""

def sample(preset: str = "vlab", *, hydrated: bool = True, objects: int | None = None) -> list[Obj]:
    """A sample fabric: vlab, small, large or huge; with ``objects``, about that many objects."""

def _rust_validate_seconds(text: str, *, fabric: bool = True) -> float:
    """Seconds the Rust pipeline of ``validate`` takes (benchmark baseline; not public API)."""

def crds_yaml() -> str:
    """The CustomResourceDefinitions of every Hedgehog kind."""

def kinds() -> list[KindInfo]:
    """Every Hedgehog kind, in hhfab order."""

def normalize(obj: ObjLike) -> Obj:
    """The form the drift engine compares (defaulted, server fields removed)."""

def diff(before: ObjLike, after: ObjLike) -> list[Change]:
    """Field-level differences after normalising both sides."""

def content_hash(obj: ObjLike) -> str:
    """SHA-256 of the normalised content."""

def drift(
    desired: Sequence[ObjLike] | None,
    git: Sequence[ObjLike],
    cluster: Sequence[ObjLike] | None,
    *,
    unread_kinds: Sequence[UnreadKind] | None = None,
) -> DriftReport:
    """Three-state drift of object sets (no Git history)."""

def plan(
    desired: Sequence[ObjLike],
    files: Mapping[str, str],
    *,
    base: Sequence[ObjLike] | None = None,
    config: ObjLike | None = None,
    allow_deletions: bool = False,
    max_delete_percent: int = 10,
) -> Obj:
    """File changes that make a GitOps directory hold ``desired``; raises ValidationError
    (``plan.empty-desired-state``, ``plan.mass-deletion``) for accidental-looking deletions."""

def merge3(base: ObjLike | None, ours: ObjLike | None, theirs: ObjLike | None) -> Obj:
    """Three-way merge of one object: ``{"merged", "conflicts"}``."""

def ingest(files: Mapping[str, str], *, config: ObjLike | None = None) -> Obj:
    """Plans the ingestion of ``raw/`` files into ``managed/`` and ``unmanaged/``."""

def plan_import(snapshot: ObjLike, known: Sequence[ObjLike]) -> Obj:
    """``{create, update, unchanged, missing_in_cluster}`` to mirror a cluster in NetBox."""

def rbac_manifests(
    name: str, namespace: str = "default", access: Literal["read-only", "read-write"] = "read-only"
) -> str:
    """ServiceAccount, Role, RoleBinding and token Secret YAML for the Hedgehog kinds."""

def test_remote(
    url: str,
    branch: str = "main",
    *,
    token: str | None = None,
    username: str | None = None,
    ssh_key: str | None = None,
    known_hosts: str | None = None,
) -> Obj:
    """``{reachable, default_branch, head, can_push, error}`` of a Git remote."""

@final
class GitRepo:
    """A bare cache clone of one Git remote."""

    @staticmethod
    def clone(
        url: str,
        cache_dir: str,
        *,
        token: str | None = None,
        username: str | None = None,
        ssh_key: str | None = None,
        known_hosts: str | None = None,
    ) -> GitRepo: ...
    @staticmethod
    def open(path: str) -> GitRepo: ...
    @property
    def path(self) -> str: ...
    @property
    def url(self) -> str | None: ...
    def fetch(self) -> None: ...
    def head(self, branch: str) -> dict[str, str | None]: ...
    def read_tree(self, rev: str, dir: str = "") -> Obj: ...
    def commit(
        self,
        branch: str,
        parent: str,
        changes: Mapping[str, str | None],
        message: str,
        *,
        author_name: str,
        author_email: str,
        base_dir: str = "",
    ) -> str | None: ...
    def push(self, branch: str, expected_remote_tip: str | None) -> Obj: ...
    def publish(
        self,
        desired: Sequence[ObjLike],
        *,
        branch: str,
        message: str,
        author_name: str,
        author_email: str,
        base_dir: str = "",
        base_commit: str | None = None,
        force: bool = False,
        config: ObjLike | None = None,
        max_attempts: int = 3,
        allow_deletions: bool = False,
        max_delete_percent: int = 10,
    ) -> Obj: ...
    def drift(
        self,
        *,
        rev: str,
        base_dir: str = "",
        desired: Sequence[ObjLike] | None = None,
        cluster: Sequence[ObjLike] | None = None,
        unread_kinds: Sequence[UnreadKind] | None = None,
    ) -> DriftReport: ...

@final
class KubeTarget:
    """A cluster connection from explicit settings or kubeconfig text."""

    def __init__(
        self,
        server: str,
        *,
        token: str | None = None,
        ca_cert_pem: str | None = None,
        namespace: str = "default",
        insecure_skip_tls_verify: bool = False,
        allow_writes: bool = False,
        client_cert_pem: str | None = None,
        client_key_pem: str | None = None,
        all_namespaces: bool = False,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
    ) -> None: ...
    @staticmethod
    def from_kubeconfig(text: str, context: str | None = None, *, allow_writes: bool = False) -> KubeTarget: ...
    @property
    def server(self) -> str: ...
    @property
    def namespace(self) -> str: ...
    def test_connection(self) -> Obj: ...
    def discover(self, page_size: int = 500) -> Obj: ...
    def apply(self, objects: Sequence[ObjLike], *, dry_run: bool = False, force: bool = False) -> list[Obj]: ...
    def delete(
        self,
        kind: str,
        name: str,
        *,
        namespace: str | None = None,
        uid: str | None = None,
        resource_version: str | None = None,
        dry_run: bool = False,
    ) -> str: ...

@final
class Engine:
    """One fabric: its GitOps branch and optional cluster, and sync passes over them."""

    def __init__(
        self,
        name: str,
        git_url: str,
        *,
        cache_dir: str,
        branch: str = "main",
        base_dir: str = "",
        token: str | None = None,
        username: str | None = None,
        ssh_key: str | None = None,
        known_hosts: str | None = None,
        cluster: KubeTarget | None = None,
        server_dry_run: bool = False,
        config: ObjLike | None = None,
        max_delete_percent: int = 10,
    ) -> None: ...
    @property
    def name(self) -> str: ...
    def sync(
        self,
        *,
        policy: Literal["detect", "commit", "apply"] = "detect",
        desired: Sequence[ObjLike] | None = None,
        base: str | None = None,
        message: str = "hedgehog: sync",
        author_name: str = "hedgehog",
        author_email: str = "hedgehog@localhost",
        force: bool = False,
        allow_deletions: bool = False,
        adopt_layout: bool = False,
    ) -> Obj: ...
    def drift(self) -> DriftReport | None: ...
    def test_connection(self) -> Obj: ...
    def watch(self) -> None: ...
    def watch_status(self) -> Obj | None: ...
    def apply_cluster_event(self, obj: ObjLike | None = None, *, deleted_key: ObjLike | None = None) -> Obj | None: ...

def list_codes() -> list[CodeInfo]:
    """Every code with its meaning: the errors' (with whether retrying can help), then the
    validation diagnostics'."""
    ...
