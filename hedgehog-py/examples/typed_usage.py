"""How the NetBox plugin uses hedgehog_fabric, type-checked with `mypy --strict` against the
stubs (the test suite runs that check)."""

from __future__ import annotations

import hedgehog_fabric as hf


def form_errors(yaml_text: str) -> dict[str, list[str]]:
    """Validation problems keyed by field path, for showing next to form fields."""
    errors: dict[str, list[str]] = {}
    report: hf.ValidationReport = hf.validate(yaml_text)
    for diagnostic in report["diagnostics"]:
        if diagnostic["severity"] == "error":
            errors.setdefault(diagnostic["path"] or "", []).append(diagnostic["message"])
    return errors


def fabric_status(engine: hf.Engine, desired: list[dict[str, object]]) -> str:
    """One detect-only pass; the plugin stores the roll-up in `drift_status`."""
    try:
        report = engine.sync(policy="detect", desired=desired)
    except hf.GitError as err:
        return f"error: {err.code}"
    status: str = report["drift"]["summary"]["status"]
    return status


def main() -> None:
    print(hf.__version__, len(hf.kinds()))
    print(form_errors(hf.render_yaml(hf.sample("vlab"))))
    target = hf.KubeTarget("https://127.0.0.1:6443", token="t", namespace="default")
    print(repr(target))


if __name__ == "__main__":
    main()
