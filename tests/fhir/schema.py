"""Validation against HL7's FHIR R4 JSON schema (vendored beside this file; see README.md),
and the round trip through fhirclient's R4 models."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from fhirclient.models.bundle import Bundle
from jsonschema import Draft6Validator

SCHEMA = Path(__file__).with_name("fhir.schema.json")
SHA256 = "15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d"


@cache
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return data


@cache
def validator(resource_type: str | None = None) -> Draft6Validator:
    """The schema's validator: for any resource (the schema's root), or one resource type."""
    root = schema()
    if resource_type is None:
        return Draft6Validator(root)
    if resource_type not in root["definitions"]:
        raise KeyError(f"{resource_type} is not an R4 resource type")
    # The type's own definition, so that errors name the element (the root's oneOf over every
    # resource type says only that the resource matches none of them).
    return Draft6Validator(
        {"$ref": f"#/definitions/{resource_type}", "definitions": root["definitions"]}
    )


def errors(resource: dict[str, Any]) -> list[str]:
    """What is wrong with ``resource`` by its own type's schema (empty: valid)."""
    check = validator(resource.get("resourceType"))
    return [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message[:300]}"
        for e in check.iter_errors(resource)
    ]


def bundle_errors(bundle: dict[str, Any], *, whole: bool = False) -> list[str]:
    """What is wrong with the bundle by the schema (empty: valid).

    The schema's root accepts a bundle entry's resource if exactly one of the 146 resource
    definitions (``ResourceList``'s ``oneOf``) accepts it; each definition fixes
    ``resourceType`` to its own name, so that is the case exactly when the definition of the
    resource's own type accepts it. Checked that way (the bundle without its resources by the
    Bundle definition, then each resource by its type) the answer is the same, with errors that
    name the element, in a second for a big bundle instead of half a minute; ``whole`` also
    runs the root's check over everything, as the schema is written (the tests use both).
    """
    shell = {
        **bundle,
        "entry": [{k: v for k, v in e.items() if k != "resource"} for e in bundle.get("entry", [])],
    }
    found = [f"Bundle: {e}" for e in errors(shell)]
    if whole:
        found += [f"Bundle (whole): {e.message[:300]}" for e in validator().iter_errors(bundle)]
    for i, entry in enumerate(bundle.get("entry", [])):
        resource = entry["resource"]
        found += [f"entry {i} {resource['resourceType']}: {e}" for e in errors(resource)]
    return found


def round_trip(bundle: dict[str, Any]) -> dict[str, Any]:
    """The bundle parsed by fhirclient's R4 models and serialised again."""
    data: dict[str, Any] = Bundle(bundle, strict=True).as_json()
    return data


def schema_digest() -> str:
    return hashlib.sha256(SCHEMA.read_bytes()).hexdigest()
