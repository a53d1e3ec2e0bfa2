"""The LanguageTool-compatible API: /v2/check and /v2/languages, shape, parameters, UTF-16 offsets."""

from __future__ import annotations

import json

import httpx
import pytest

import invoicetone
from invoicetone.server._lt import Utf16Offsets, annotation_document

from .openapi_check import assert_matches_openapi

DEFENSIVE = "Hi Dana,\n\nThat's not our fault, you should have read the contract!!!"


def _utf16_slice(text: str, offset: int, length: int) -> str:
    units = text.encode("utf-16-le")
    return units[2 * offset : 2 * (offset + length)].decode("utf-16-le")


def _check(client: httpx.Client, method: str = "post", **params: str) -> httpx.Response:
    response = client.get("/v2/check", params=params) if method == "get" else client.post("/v2/check", data=params)
    assert_matches_openapi(response, "/v2/check", method)
    return response


@pytest.mark.parametrize("method", ["get", "post"])
def test_shape_matches_languagetool(client: httpx.Client, method: str) -> None:
    body = _check(client, method, text=DEFENSIVE, language="en-US").json()
    assert body["software"]["name"] == "invoicetone" and body["software"]["apiVersion"] == 1
    assert body["language"]["code"] == "en-US"
    assert body["language"]["detectedLanguage"]["code"] == "en-US"
    match = next(m for m in body["matches"] if m["rule"]["id"] == "denial.not-our-fault")
    assert DEFENSIVE[match["offset"] : match["offset"] + match["length"]] == "That's not our fault"
    assert match["replacements"] and all(set(r) == {"value"} for r in match["replacements"])
    context = match["context"]
    assert context["text"][context["offset"] : context["offset"] + context["length"]] == "That's not our fault"
    assert match["sentence"] == "That's not our fault, you should have read the contract!!!"
    assert match["rule"]["category"] == {"id": "DENIAL", "name": "Denial"}
    assert match["rule"]["issueType"] in {"style", "grammar"}
    assert match["type"]["typeName"]


def test_same_findings_as_the_library(client: httpx.Client) -> None:
    body = _check(client, text=DEFENSIVE, language="en").json()
    report = invoicetone.Checker().check(DEFENSIVE, lang="en")
    assert [(m["rule"]["id"], m["offset"], m["length"]) for m in body["matches"]] == [
        (f.rule_id, f.start, f.end - f.start) for f in report.findings
    ]
    assert [[r["value"] for r in m["replacements"]] for m in body["matches"]] == [
        [s.replacement for s in f.suggestions] for f in report.findings
    ]


def test_offsets_are_utf16_code_units_after_an_emoji(client: httpx.Client) -> None:
    text = "Hi 👋🏽 Dana, 😀 That's not our fault!!!"
    body = _check(client, text=text, language="en-US").json()
    match = next(m for m in body["matches"] if m["rule"]["id"] == "denial.not-our-fault")
    python_start = text.index("That's")
    assert match["offset"] == python_start + 3  # three astral characters before it: 👋, 🏽, 😀
    assert _utf16_slice(text, match["offset"], match["length"]) == "That's not our fault"
    bang = next(m for m in body["matches"] if m["rule"]["id"] == "shouting.punctuation")
    assert _utf16_slice(text, bang["offset"], bang["length"]) == "!!!"


def test_utf16_converter() -> None:
    text = "a😀b𝒳c"
    to16 = Utf16Offsets(text)
    assert [to16(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7]


def test_data_annotation_offsets_count_markup(client: httpx.Client) -> None:
    annotation = [
        {"markup": "<p>"},
        {"text": "Hi Dana,"},
        {"markup": "</p><p>", "interpretAs": "\n\n"},
        {"text": "That's "},
        {"markup": "<b>"},
        {"text": "not our fault"},
        {"markup": "</b>"},
        {"text": "!!!"},
        {"markup": "</p>"},
    ]
    original = "".join(part.get("text", part.get("markup", "")) for part in annotation)
    body = _check(client, data=json.dumps({"annotation": annotation}), language="en-US").json()
    ids = {m["rule"]["id"]: m for m in body["matches"]}
    match = ids["denial.not-our-fault"]
    assert original[match["offset"] : match["offset"] + match["length"]] == "That's <b>not our fault"
    bang = ids["shouting.punctuation"]
    assert original[bang["offset"] : bang["offset"] + bang["length"]] == "!!!"
    # markup is never analysed: the same words inside markup are not flagged
    quiet = _check(client, data=json.dumps({"annotation": [{"text": "Thanks. "}, {"markup": "<!-- not our fault -->"}]}), language="en").json()
    assert quiet["matches"] == []


def test_annotation_document_maps_back() -> None:
    document = annotation_document(json.dumps({"annotation": [{"text": "A"}, {"markup": "<br>", "interpretAs": " "}, {"text": "B"}]}))
    assert document.original == "A<br>B" and document.text == "A B"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"language": "en"}, "'text'"),
        ({"text": "hi"}, "'language'"),
        ({"text": "hi", "language": "de-DE"}, "de-DE"),
        ({"data": "{not json", "language": "en"}, "'data'"),
        ({"data": json.dumps({"annotation": [{"text": "a", "markup": "b"}]}), "language": "en"}, "annotation[0]"),
        ({"data": json.dumps({"annotation": "x"}), "language": "en"}, "annotation"),
        ({"text": "a", "data": "{}", "language": "en"}, "not both"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client: httpx.Client, params: dict[str, str], fragment: str) -> None:
    response = _check(client, **params)
    assert response.status_code == 400
    assert fragment in response.json()["error"]["message"]


def test_auto_language_detects_slovak(client: httpx.Client) -> None:
    body = _check(client, text="Dobrý deň, ďakujeme za vašu správu. To nie je naša chyba.", language="auto").json()
    assert body["language"]["detectedLanguage"]["code"] == "sk-SK"
    assert body["language"]["code"] == "sk-SK"
    assert 0.5 <= body["language"]["detectedLanguage"]["confidence"] <= 1


def test_preferred_variant_names_the_detected_language(client: httpx.Client) -> None:
    body = _check(client, text=DEFENSIVE, language="auto", preferredVariants="en-GB,de-AT").json()
    assert body["language"]["detectedLanguage"]["code"] == "en-GB"


def test_rule_and_category_filters(client: httpx.Client) -> None:
    def ids(**params: str) -> set[str]:
        return {m["rule"]["id"] for m in _check(client, text=DEFENSIVE, language="en-US", **params).json()["matches"]}

    everything = ids()
    assert {"denial.not-our-fault", "shouting.punctuation"} <= everything
    assert "denial.not-our-fault" not in ids(disabledRules="denial.not-our-fault,OTHER")
    assert "shouting.punctuation" not in ids(disabledCategories="SHOUTING")
    assert ids(enabledRules="shouting.punctuation", enabledOnly="true") == {"shouting.punctuation"}
    assert ids(enabledCategories="denial", enabledOnly="true") == {"denial.not-our-fault"}
    assert ids(enabledRules="shouting.punctuation") == everything  # without enabledOnly nothing is dropped
    # unknown and ignored parameters change nothing
    assert ids(motherTongue="sk", noSuchParameter="1", level="default") == everything


def test_picky_level_adds_missing_elements(client: httpx.Client) -> None:
    body = _check(client, text=DEFENSIVE, language="en-US", level="picky").json()
    missing = [m for m in body["matches"] if m["rule"]["id"].startswith("missing.")]
    assert missing, "the defensive draft lacks an acknowledgement"
    assert all(m["rule"]["category"]["id"] == "MISSING" for m in missing)
    assert DEFENSIVE[missing[0]["offset"] : missing[0]["offset"] + missing[0]["length"]] == "Hi Dana,"


def test_form_errors(client: httpx.Client) -> None:
    wrong_type = client.post("/v2/check", content=b'{"text": "x"}', headers={"content-type": "application/json"})
    assert wrong_type.status_code == 415
    broken = client.post("/v2/check", content=b"--x\r\nbroken", headers={"content-type": "multipart/form-data; boundary=x"})
    assert broken.status_code == 400 and broken.json()["error"]["code"] in {"malformed_form", "invalid_request"}
