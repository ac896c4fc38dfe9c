"""Hedgehog Fabric validation, drift detection and GitOps sync, backed by Rust.

Functions take and return plain data (str, dict, list: what a Django JSONField stores) with
the same JSON structures as ``hedgehogd`` and its HTTP API. Long-lived resources are classes:
:class:`GitRepo`, :class:`KubeTarget` and :class:`Engine`. Every call that does real work
releases the GIL; network calls can be interrupted with Ctrl-C.
"""

from typing import TYPE_CHECKING

from hedgehog_fabric._native import (
    VERSION,
    ConfigError,
    Engine,
    GitError,
    GitRepo,
    HedgehogError,
    KubeError,
    KubeTarget,
    ParseError,
    ValidationError,
    content_hash,
    crds_yaml,
    default,
    diagram,
    diff,
    drift,
    hydrate,
    ingest,
    kinds,
    list_codes,
    merge3,
    normalize,
    parse_documents,
    plan,
    plan_import,
    rbac_manifests,
    render_yaml,
    sample,
    test_remote,
    validate,
    validate_change,
    validate_objects,
)

if TYPE_CHECKING:
    # The shapes of the returned dicts, for annotations (they do not exist at run time).
    from hedgehog_fabric._native import (
        Change as Change,
        CodeInfo as CodeInfo,
        Diagnostic as Diagnostic,
        ErrorCode as ErrorCode,
        DriftReport as DriftReport,
        DriftSummary as DriftSummary,
        KindInfo as KindInfo,
        Parsed as Parsed,
        ParsedDocument as ParsedDocument,
        ValidationReport as ValidationReport,
    )

__version__: str = VERSION

__all__ = [
    "ConfigError",
    "Engine",
    "GitError",
    "GitRepo",
    "HedgehogError",
    "KubeError",
    "KubeTarget",
    "ParseError",
    "ValidationError",
    "__version__",
    "content_hash",
    "crds_yaml",
    "default",
    "diagram",
    "diff",
    "drift",
    "hydrate",
    "ingest",
    "kinds",
    "list_codes",
    "merge3",
    "normalize",
    "parse_documents",
    "plan",
    "plan_import",
    "rbac_manifests",
    "render_yaml",
    "sample",
    "test_remote",
    "validate",
    "validate_change",
    "validate_objects",
]
