"""The native JSON API (/v1, /healthz, /openapi.json): behaviour, errors, and the OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import invoicetone
from invoicetone.server import openapi_document

from .conftest import LiveServer
from .openapi_check import assert_matches_openapi

DEFENSIVE = "Hi Dana,\n\nThat's not our fault, you should have read the contract!!!"


def test_check_returns_the_wire_report(client: httpx.Client) -> None:
    response = client.post("/v1/check", json={"text": DEFENSIVE, "client_message": "Why 40 hours?"})
    assert response.status_code == 200
    assert_matches_openapi(response, "/v1/check", "post")
    body = response.json()
    expected = invoicetone.Checker().check(DEFENSIVE, client_message="Why 40 hours?").to_dict()
    assert body == expected
    finding = next(f for f in body["findings"] if f["rule_id"] == "denial.not-our-fault")
    assert DEFENSIVE[finding["start"] : finding["end"]] == "That's not our fault"


def test_check_offsets_are_code_points_of_the_text_sent(client: httpx.Client) -> None:
    text = "🙂🙂 Thanks. That's not our fault."
    body = client.post("/v1/check", json={"text": text, "lang": "en"}).json()
    finding = next(f for f in body["findings"] if f["rule_id"] == "denial.not-our-fault")
    assert text[finding["start"] : finding["end"]] == finding["text"] == "That's not our fault"


@pytest.mark.parametrize("lang", ["en", "en-US", "auto", None])
def test_check_accepts_language_tags(client: httpx.Client, lang: str | None) -> None:
    response = client.post("/v1/check", json={"text": DEFENSIVE, "lang": lang})
    assert response.status_code == 200
    assert response.json()["lang"] == "en"


@pytest.mark.parametrize(
    ("body", "status", "code", "names"),
    [
        ({}, 400, "invalid_request", "'text'"),
        ({"text": 5}, 400, "invalid_request", "'text'"),
        ({"text": "hi", "lang": "de"}, 400, "unsupported_language", "'lang'"),
        ({"text": "hi", "format": "pdf"}, 400, "invalid_request", "'format'"),
        ({"text": "hi", "packs": ["/etc"]}, 400, "invalid_request", "packs"),
        ({"text": "hi", "contract": 3}, 400, "invalid_request", "'contract'"),
        ({"text": "hi", "contract": {"no_such_key": 1}}, 400, "invalid_request", "no_such_key"),
        ([1, 2], 400, "invalid_request", "JSON object"),
    ],
)
def test_check_rejects_bad_requests_with_a_reason(client: httpx.Client, body: Any, status: int, code: str, names: str) -> None:
    response = client.post("/v1/check", json=body)
    assert response.status_code == status
    assert_matches_openapi(response, "/v1/check", "post")
    error = response.json()["error"]
    assert error["code"] == code
    assert names in error["message"]


def test_malformed_json_is_400_with_position(client: httpx.Client) -> None:
    response = client.post("/v1/check", content=b'{"text": "hi",}', headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_json"
    assert "line 1 column" in response.json()["error"]["message"]
    bad_utf8 = client.post("/v1/check", content=b'{"text": "\xff"}', headers={"content-type": "application/json"})
    assert bad_utf8.status_code == 400 and "UTF-8" in bad_utf8.json()["error"]["message"]


def test_wrong_media_type_is_415(client: httpx.Client) -> None:
    response = client.post("/v1/check", content=b"text=hi", headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert_matches_openapi(response, "/v1/check", "post")


def test_unknown_path_and_method_are_json_errors(client: httpx.Client) -> None:
    missing = client.get("/v1/nothing")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong = client.get("/v1/check")
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"


def test_contract_text_is_used_not_opened(client: httpx.Client) -> None:
    response = client.post("/v1/check", json={"text": DEFENSIVE, "contract": "/etc/passwd"})
    assert response.status_code in (200, 400)
    assert "root:" not in response.text


def test_format_html_uses_the_sources_adapter_or_says_501(client: httpx.Client) -> None:
    html = "<p>Hi Dana,</p><p>That&#39;s <b>not our fault</b>, sorry.</p>"
    response = client.post("/v1/check", json={"text": html, "format": "html", "lang": "en"})
    assert_matches_openapi(response, "/v1/check", "post")
    try:
        from invoicetone.sources import parse_units  # noqa: F401
    except ImportError:
        assert response.status_code == 501
        assert "plain" in response.json()["error"]["message"]
        return
    assert response.status_code == 200
    finding = next(f for f in response.json()["findings"] if f["rule_id"] == "denial.not-our-fault")
    assert html[finding["start"] : finding["end"]] == "That&#39;s <b>not our fault"


def test_fix_applies_autofixes_and_rechecks(client: httpx.Client) -> None:
    response = client.post("/v1/fix", json={"text": "We will NEVER do that!!!", "lang": "en"})
    assert response.status_code == 200
    assert_matches_openapi(response, "/v1/fix", "post")
    body = response.json()
    assert body["text"] == "We will never do that."
    assert {a["rule_id"] for a in body["applied"]} == {"shouting.caps", "shouting.punctuation"}
    assert body["report"]["score"] > body["score_before"]
    again = client.post("/v1/fix", json={"text": body["text"], "lang": "en"}).json()
    assert again["text"] == body["text"] and again["applied"] == []


def test_fix_one_chosen_finding(client: httpx.Client) -> None:
    report = client.post("/v1/check", json={"text": DEFENSIVE}).json()
    finding = next(f for f in report["findings"] if f["rule_id"] == "denial.not-our-fault")
    fix = {"rule_id": finding["rule_id"], "start": finding["start"], "end": finding["end"], "suggestion": 0}
    body = client.post("/v1/fix", json={"text": DEFENSIVE, "fixes": [fix]}).json()
    replacement = finding["suggestions"][0]["replacement"]
    assert body["text"] == DEFENSIVE[: finding["start"]] + replacement + DEFENSIVE[finding["end"] :]
    assert body["report"]["score"] > report["score"]
    assert "denial.not-our-fault" not in {f["rule_id"] for f in body["report"]["findings"]}


def test_fix_with_stale_offsets_is_409(client: httpx.Client) -> None:
    response = client.post("/v1/fix", json={"text": DEFENSIVE, "fixes": [{"rule_id": "denial.not-our-fault", "start": 0, "end": 3}]})
    assert response.status_code == 409
    assert_matches_openapi(response, "/v1/fix", "post")
    bad_index = client.post("/v1/fix", json={"text": "x", "fixes": [{"rule_id": "a", "start": -1, "end": 3}]})
    assert bad_index.status_code == 400 and "start" in bad_index.json()["error"]["message"]


def test_outline_is_wired_when_the_core_has_it(client: httpx.Client) -> None:
    response = client.post("/v1/outline", json={"client_message": "Your invoice charges 40 hours, we agreed 30."})
    assert_matches_openapi(response, "/v1/outline", "post")
    if hasattr(invoicetone, "outline"):
        assert response.status_code == 200 and response.json()
    else:
        assert response.status_code == 501
    missing = client.post("/v1/outline", json={})
    assert missing.status_code == 400 and "client_message" in missing.json()["error"]["message"]


def test_rules_lists_the_packs(client: httpx.Client) -> None:
    response = client.get("/v1/rules", params={"lang": "en"})
    assert response.status_code == 200
    assert_matches_openapi(response, "/v1/rules", "get")
    ids = {r["id"] for r in response.json()["rules"]}
    assert ids == {r.id for r in invoicetone.Checker().rules("en")}
    assert "denial.not-our-fault" in ids
    assert client.get("/v1/rules", params={"lang": "xx"}).status_code == 400


def test_healthz_and_languages(client: httpx.Client) -> None:
    health = client.get("/healthz")
    assert health.json()["status"] == "ok"
    assert_matches_openapi(health, "/healthz", "get")
    langs = client.get("/v2/languages")
    assert_matches_openapi(langs, "/v2/languages", "get")
    assert {"en-US", "sk-SK"} <= {entry["longCode"] for entry in langs.json()}


def test_openapi_is_served_and_lists_every_route(client: httpx.Client, server: LiveServer) -> None:
    served = client.get("/openapi.json").json()
    assert served["openapi"].startswith("3.1")
    assert served["info"]["version"] == invoicetone.__version__
    from invoicetone.server import create_app

    app = create_app(warm_up=False)
    routes = {(route.path, method.lower()) for route in app.routes for method in (route.methods or ()) if method != "HEAD"}  # type: ignore[attr-defined]
    documented = {(path, method) for path, ops in served["paths"].items() for method in ops}
    assert routes == documented


def test_playground_is_self_contained(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "http://" not in page.text and "https://" not in page.text  # no CDN, works offline
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "'sha256-" in policy


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
check_bodies = st.fixed_dictionaries(
    {},
    optional={
        "text": st.text(max_size=200) | json_values,
        "lang": st.sampled_from(["en", "sk", "auto", "en-GB", "xx", ""]) | json_values,
        "client_message": st.text(max_size=80) | json_values,
        "format": st.sampled_from(["plain", "html", "markdown", "email", "rtf"]),
        "contract": st.dictionaries(st.sampled_from(["payment_days", "rates", "foo"]), json_values, max_size=2) | json_values,
    },
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=check_bodies)
def test_any_check_body_gets_a_documented_answer(server: LiveServer, body: dict[str, Any]) -> None:
    with server.client() as client:
        response = client.post("/v1/check", content=json.dumps(body), headers={"content-type": "application/json"})
    assert response.status_code != 500, response.text
    assert_matches_openapi(response, "/v1/check", "post")


def test_openapi_document_is_consistent() -> None:
    doc = openapi_document()
    text = json.dumps(doc)
    for name in doc["components"]["schemas"]:
        assert f"#/components/schemas/{name}" in text or name in {"CheckRequest"}, f"schema {name} is never used"


def test_format_email_uses_the_quoted_client_message(client: httpx.Client) -> None:
    pytest.importorskip("invoicetone.sources")
    raw = (
        "From: tom@example.com\nTo: dana@example.com\nSubject: Re: invoice 1042\nContent-Type: text/plain; charset=utf-8\n\n"
        "Hi Dana,\n\nThat's not our fault, you should have read the contract.\n\n"
        "On Mon, 3 Jun 2024, Dana <dana@example.com> wrote:\n> Why does invoice 1042 charge 40 hours?\n"
    )
    response = client.post("/v1/check", json={"text": raw, "format": "email"})
    assert response.status_code == 200, response.text
    assert_matches_openapi(response, "/v1/check", "post")
    body = response.json()
    assert body["client_message"] == "Why does invoice 1042 charge 40 hours?"
    finding = next(f for f in body["findings"] if f["rule_id"] == "denial.not-our-fault")
    assert raw[finding["start"] : finding["end"]] == "That's not our fault"
    assert all(f["start"] < raw.index("On Mon") for f in body["findings"])  # the quote is not checked


def test_format_markdown_offsets_index_the_source(client: httpx.Client) -> None:
    pytest.importorskip("invoicetone.sources")
    source = "# Reply\n\nHi Dana, **that's not our fault**, sorry.\n"
    body = client.post("/v1/check", json={"text": source, "format": "markdown", "lang": "en"}).json()
    finding = next(f for f in body["findings"] if f["rule_id"] == "denial.not-our-fault")
    assert source[finding["start"] : finding["end"]] == "that's not our fault"


def test_malformed_email_is_a_clear_400_or_checked(client: httpx.Client) -> None:
    pytest.importorskip("invoicetone.sources")
    response = client.post("/v1/check", json={"text": "\x00\x01 not a message", "format": "email"})
    assert response.status_code in (200, 400)
    assert_matches_openapi(response, "/v1/check", "post")
