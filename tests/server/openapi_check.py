"""Validate live responses against the served OpenAPI document (OpenAPI 3.1 schemas are JSON Schema 2020-12)."""

from __future__ import annotations

from typing import Any

import httpx
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from invoicetone.server import openapi_document

DOC_URI = "urn:invoicetone:openapi"


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def assert_matches_openapi(response: httpx.Response, path: str, method: str) -> None:
    """The response's status is documented for ``method path`` and its JSON body fits the schema."""
    doc = openapi_document()
    operation = doc["paths"][path][method.lower()]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method} {path} answered {status}, which the OpenAPI document does not list"
    content = operation["responses"][status].get("content", {})
    media = response.headers["content-type"].split(";")[0]
    assert media in content, f"{method} {path} {status} answered {media}, documented: {list(content)}"
    if media != "application/json":
        return
    registry: Registry[Any] = Registry().with_resource(DOC_URI, Resource.from_contents(doc, default_specification=DRAFT202012))
    ref = f"{DOC_URI}#/" + _pointer("paths", path, method.lower(), "responses", status, "content", media, "schema")
    validator = Draft202012Validator({"$ref": ref}, registry=registry)
    errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.path))
    assert not errors, f"{method} {path} {status} does not match the OpenAPI schema: {[e.message for e in errors[:3]]}"
