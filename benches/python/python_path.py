#!/usr/bin/env python3
"""The Python path that `benches/compare.sh` measures hedgehogd against.

What a NetBox plugin would do with off-the-shelf libraries, no hedgehog code:
  parse    PyYAML's C loader (`yaml.CSafeLoader`, libyaml) over the whole file
  compile  one jsonschema Draft 7 validator per kind, from the CRDs `hedgehogd crds` prints
  schema   every document against its kind's openAPIV3Schema, all errors collected
  refs     existence checks between objects: connection ports name switches and servers,
           switches their groups and VLAN namespaces, VPCs and externals their namespaces,
           attachments and peerings their VPCs, subnets, connections and externals

No cross-object rules beyond existence (no VLAN, IP or port checks): it does less than
`hedgehogd validate`. Prints one JSON object: counts and seconds per stage.

Usage: python_path.py FABRIC.yaml --crds CRDS.yaml
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import jsonschema
import yaml


def compile_validators(crds_path: str) -> dict:
    """{(apiVersion, kind): Draft 7 validator} for every version of every CRD in the file."""
    with open(crds_path, "rb") as f:
        crds = [d for d in yaml.load_all(f, Loader=yaml.CSafeLoader) if d]
    out = {}
    for crd in crds:
        spec = crd["spec"]
        for version in spec["versions"]:
            schema = version["schema"]["openAPIV3Schema"]
            jsonschema.Draft7Validator.check_schema(schema)
            out[(spec["group"] + "/" + version["name"], spec["names"]["kind"])] = jsonschema.Draft7Validator(schema)
    return out


def spec_of(doc) -> dict:
    spec = doc.get("spec") if isinstance(doc, dict) else None
    return spec if isinstance(spec, dict) else {}


def link_ends(spec: dict):
    """(end name, device name) of every port a Connection spec names."""
    for body in spec.values():
        if not isinstance(body, dict):
            continue
        links = body.get("links")
        if not isinstance(links, list):
            links = [body["link"]] if isinstance(body.get("link"), dict) else []
        for link in links:
            if not isinstance(link, dict):
                continue
            for end, side in link.items():
                port = side.get("port") if isinstance(side, dict) else None
                if isinstance(port, str):
                    yield end, port.split("/", 1)[0]


class Refs:
    """Names by kind, and the problems found."""

    def __init__(self, docs: list):
        self.names: dict = {}
        for doc in docs:
            meta = doc.get("metadata") if isinstance(doc, dict) else None
            if isinstance(meta, dict):
                self.names.setdefault(doc.get("kind"), {})[meta.get("name")] = doc
        self.problems: list[str] = []

    def need(self, kind: str, name, who: str) -> bool:
        if name in self.names.get(kind, {}):
            return True
        self.problems.append(f"{who}: {kind} {name!r} not found")
        return False

    def subnets(self, vpc: str) -> dict:
        found = spec_of(self.names["VPC"][vpc]).get("subnets")
        return found if isinstance(found, dict) else {}

    def need_subnets(self, vpc, wanted, who: str) -> None:
        if self.need("VPC", vpc, who):
            have = self.subnets(vpc)
            self.problems += [f"{who}: subnet {s!r} not in VPC {vpc}" for s in wanted or [] if s not in have]

    def check(self) -> list[str]:
        for kind, objects in self.names.items():
            for name, doc in objects.items():
                getattr(self, "check_" + str(kind), lambda *_: None)(f"{kind} {name}", spec_of(doc))
        return self.problems

    def check_Switch(self, who, spec):
        redundancy = spec.get("redundancy") or {}
        for group in (spec.get("groups") or []) + ([redundancy["group"]] if redundancy.get("group") else []):
            self.need("SwitchGroup", group, who)
        for ns in spec.get("vlanNamespaces") or []:
            self.need("VLANNamespace", ns, who)

    def check_Connection(self, who, spec):
        for end, device in sorted(set(link_ends(spec))):
            if end == "server":
                self.need("Server", device, who)
            elif end != "gateway":
                self.need("Switch", device, who)

    def check_VPC(self, who, spec):
        self.need("IPv4Namespace", spec.get("ipv4Namespace") or "default", who)
        self.need("VLANNamespace", spec.get("vlanNamespace") or "default", who)

    def check_VPCAttachment(self, who, spec):
        vpc, _, subnet = (spec.get("subnet") or "").partition("/")
        self.need_subnets(vpc, [subnet or "default"], who)
        self.need("Connection", spec.get("connection"), who)

    def check_VPCPeering(self, who, spec):
        for permit in spec.get("permit") or []:
            for vpc, peer in (permit or {}).items():
                self.need_subnets(vpc, (peer or {}).get("subnets"), who)

    def check_External(self, who, spec):
        self.need("IPv4Namespace", spec.get("ipv4Namespace") or "default", who)

    def check_ExternalAttachment(self, who, spec):
        self.need("External", spec.get("external"), who)
        self.need("Connection", spec.get("connection"), who)

    def check_ExternalPeering(self, who, spec):
        permit = spec.get("permit") or {}
        vpc, ext = permit.get("vpc") or {}, permit.get("external") or {}
        self.need_subnets(vpc.get("name"), vpc.get("subnets"), who)
        self.need("External", ext.get("name"), who)


def run(path: str, crds: str) -> dict:
    seconds = {}
    started = last = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal last
        now = time.perf_counter()
        seconds[stage] = now - last
        last = now

    validators = compile_validators(crds)
    lap("compile")
    with open(path, "rb") as f:
        docs = [d for d in yaml.load_all(f, Loader=yaml.CSafeLoader) if d is not None]
    lap("parse")
    schema_errors = 0
    for doc in docs:
        validator = validators.get((doc.get("apiVersion"), doc.get("kind"))) if isinstance(doc, dict) else None
        schema_errors += 1 if validator is None else sum(1 for _ in validator.iter_errors(doc))
    lap("schema")
    problems = Refs(docs).check()
    lap("refs")
    seconds["total"] = last - started
    return {"documents": len(docs), "schema_errors": schema_errors, "ref_errors": len(problems),
            "samples": problems[:5], "seconds": seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--crds", required=True, help="CRDs as `hedgehogd crds` prints them")
    args = parser.parse_args()
    result = run(args.file, args.crds)
    print(json.dumps(result))
    return 1 if result["schema_errors"] or result["ref_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
