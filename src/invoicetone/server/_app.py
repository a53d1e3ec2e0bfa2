"""The ASGI application: native JSON API, LanguageTool-compatible API, playground.

Thin by design: every endpoint validates its input, hands the work to the one shared
:class:`~invoicetone.Checker` on a bounded thread pool, and serialises the Report.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import gc
import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import invoicetone

from .._checker import Checker
from .._fix import apply_edits
from .._model import Finding, Report
from .._nlp import SUPPORTED_LANGS
from ..errors import ConfigError, InputError, InputTooLarge, InvoiceToneError
from ._config import DEFAULT_CORS_REGEX, ServerConfig
from ._lt import LTRequestError, languages_response, lt_response, parse_params

log = logging.getLogger("invoicetone.server")
access_log = logging.getLogger("invoicetone.server.access")

FORMATS = ("plain", "html", "markdown", "email")
WARM_UP_CHUNK = 80  # rule examples per warm-up check
T = TypeVar("T")


class ApiError(Exception):
    """An answer with a 4xx/5xx status and ``{"error": {"code", "message"}}``."""

    def __init__(self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def error_response(status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=dict(headers or {}))


class JSONUTF8Response(JSONResponse):
    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --------------------------------------------------------------------------- middleware


class AccessLogMiddleware:
    """One line per request: method, path (never the query string or body), status, milliseconds."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            client = scope.get("client")
            access_log.info(
                '%s "%s %s" %d %.1fms',
                client[0] if client else "-",
                scope["method"],
                scope["path"],
                status,
                (time.perf_counter() - started) * 1000,
            )


class BodyLimitMiddleware:
    """Reads the body up front, at most ``max_body`` bytes (413 beyond); long query strings get 414."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.max_body:
            await error_response(414, "uri_too_long", f"the query string is longer than {self.max_body:,} bytes; POST the text as a form instead")(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                declared_size = int(declared)
            except ValueError:
                await error_response(400, "bad_request", "the Content-Length header is not a number")(scope, receive, send)
                return
            if declared_size > self.max_body:
                await self._too_large(scope, receive, send)
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413, "payload_too_large", f"the request body is larger than {self.max_body:,} bytes; send a shorter draft"
        )
        await response(scope, receive, send)


# --------------------------------------------------------------------------- the service


class Service:
    """Shared state of one worker: the Checker, the thread pool and the limits."""

    def __init__(self, config: ServerConfig, checker: Checker | None = None) -> None:
        self.config = config
        self.checker = checker or Checker(builtin_packs=True, plugin_packs=True)
        self.executor = ThreadPoolExecutor(max_workers=config.concurrency, thread_name_prefix="invoicetone-check")
        self.slots = asyncio.Semaphore(config.concurrency)
        self.version = invoicetone.__version__

    async def run(self, function: Callable[[], T], size: int | None = None) -> T:
        """Run ``function`` on the pool within the request time limit and the concurrency bound.

        ``size`` (characters of text the work reads): work up to ``inline_chars`` runs right here on
        the event loop instead, which saves the thread hand-off on the common small draft. One worker
        process runs Python on one core at a time anyway, so this costs other requests nothing.
        """
        if size is not None and size <= self.config.inline_chars:
            return function()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.config.timeout
        if self.slots.locked():
            try:
                await asyncio.wait_for(self.slots.acquire(), self.config.timeout)
            except asyncio.TimeoutError:
                raise ApiError(503, "busy", "the server is busy; retry shortly", {"Retry-After": "1"}) from None
        else:
            await self.slots.acquire()  # free slot: no waiting, no task
        future = loop.run_in_executor(self.executor, function)
        # The slot is released when the work ends, not when we stop waiting: a timed-out check
        # keeps its thread until it finishes, so the bound stays true.
        future.add_done_callback(lambda _f: self.slots.release())
        # A plain timer instead of wait_for(): no extra task per request on the hot path.
        waiter: asyncio.Future[None] = loop.create_future()

        def wake(_: object = None) -> None:
            if not waiter.done():
                waiter.set_result(None)

        timer = loop.call_at(deadline, wake)
        future.add_done_callback(wake)
        try:
            await waiter
        finally:
            timer.cancel()
        if not future.done():
            future.add_done_callback(_consume)
            raise ApiError(
                503, "timeout", f"the check took longer than the {self.config.timeout:g} s time limit", {"Retry-After": "1"}
            )
        return future.result()

    def warm_up(self) -> None:
        """Do the lazy first-use work now, before the worker takes traffic.

        The core builds pipelines, compiles each rule's regex on the first text that could match it,
        and loads the dispute cues on the first ``client_message``: done by the first requests, that
        cost 100-400 ms each and queued every request behind them. Checking every rule's flag
        examples (with a client message) does it all once, in about two seconds per worker.
        """
        for lang in SUPPORTED_LANGS:
            self.checker.check("Thank you for your message.", lang=lang)
            examples = [example.text for rule in self.checker.rules(lang) for example in rule.flag_examples]
            for start in range(0, len(examples), WARM_UP_CHUNK):
                chunk = examples[start : start + WARM_UP_CHUNK]
                try:
                    self.checker.check("\n\n".join(chunk), lang=lang, client_message=chunk[0])
                except InvoiceToneError as exc:  # a warm-up must never keep the worker from serving
                    log.warning("warm-up check (%s) failed: %s", lang, exc)

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def _consume(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _authorise(request: Request, service: Service, api_key: str | None = None) -> None:
    token = service.config.token
    if not token:
        return
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    candidate = given.strip() if scheme.lower() == "bearer" else (api_key or "")
    if not candidate or not hmac.compare_digest(candidate.encode(), token.encode()):
        raise ApiError(
            401,
            "unauthorized",
            "this server needs a bearer token: send 'Authorization: Bearer <token>' (LanguageTool clients: the apiKey parameter)",
            {"WWW-Authenticate": "Bearer"},
        )


async def _json_body(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "")
    if "json" not in content_type.split(";")[0]:
        raise ApiError(415, "unsupported_media_type", "send the request as JSON with 'Content-Type: application/json'")
    raw = await request.body()
    try:
        body = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ApiError(400, "malformed_json", f"the body is not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ApiError(400, "malformed_json", f"the body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_request", "the body must be a JSON object, e.g. {\"text\": \"...\"}")
    return body


def _fields(body: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ApiError(400, "invalid_request", f"unknown field(s) {unknown} in {where}; allowed: {sorted(allowed)}")


def _string(body: Mapping[str, Any], name: str, *, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise ApiError(400, "invalid_request", f"field '{name}' is required (a string)")
        return None
    if not isinstance(value, str):
        raise ApiError(400, "invalid_request", f"field '{name}' must be a string, not {_json_type(value)}")
    return value


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _lang(body: Mapping[str, Any]) -> str | None:
    lang = _string(body, "lang")
    if lang is None or lang.lower() == "auto":
        return None
    base = lang.replace("_", "-").split("-")[0].lower()
    if base not in SUPPORTED_LANGS:
        raise ApiError(400, "unsupported_language", f"field 'lang' is {lang!r}; use one of {[*SUPPORTED_LANGS, 'auto']}")
    return base


def _contract(body: Mapping[str, Any], lang: str | None) -> Any:
    """Contract terms as an object, or the contract's text. Never a path: nothing here reads files."""
    contract = body.get("contract")
    if contract is None:
        return None
    if not isinstance(contract, (dict, str)):
        raise ApiError(
            400, "invalid_request", f"field 'contract' must be an object of contract terms or the contract text, not {_json_type(contract)}"
        )
    try:
        from .._contract import coerce_contract
    except ImportError:  # older core: the Checker validates it
        return contract
    try:
        return coerce_contract(contract, lang)
    except InvoiceToneError as exc:
        raise ApiError(400, "invalid_request", f"field 'contract': {exc}") from None


def _core_errors(exc: Exception) -> ApiError:
    if isinstance(exc, InputTooLarge):
        return ApiError(413, "payload_too_large", str(exc))
    if isinstance(exc, InputError):
        return ApiError(400, "invalid_input", str(exc))
    if isinstance(exc, ConfigError):
        return ApiError(400, "invalid_request", str(exc))
    return ApiError(400, "invalid_input", str(exc))


def _size(*texts: str | None) -> int:
    """Characters a request's work reads (what decides whether it runs inline)."""
    return sum(len(t) for t in texts if t)


async def _check(service: Service, function: Callable[[], T], size: int | None = None) -> T:
    try:
        return await service.run(function, size)
    except (InvoiceToneError, TypeError) as exc:
        raise _core_errors(exc) from None


def _sources() -> Any:
    try:
        from .. import sources
    except ImportError:
        return None
    return sources if hasattr(sources, "parse_units") else None


# --------------------------------------------------------------------------- /v1


CHECK_FIELDS = {"text", "lang", "client_message", "contract", "format"}


async def v1_check(request: Request) -> Response:
    service = _service(request)
    _authorise(request, service)
    body = await _json_body(request)
    _fields(body, CHECK_FIELDS, "a /v1/check request")
    text = _string(body, "text", required=True) or ""
    lang = _lang(body)
    client_message = _string(body, "client_message")
    contract = _contract(body, lang)
    fmt = _string(body, "format") or "plain"
    if fmt not in FORMATS:
        raise ApiError(400, "invalid_request", f"field 'format' is {fmt!r}; use one of {list(FORMATS)}")
    checker = service.checker
    if fmt == "plain":
        report = await _check(
            service, lambda: checker.check(text, lang=lang, client_message=client_message, contract=contract), _size(text, client_message)
        )
        return JSONUTF8Response(report.to_dict())
    sources = _sources()
    if sources is None:
        raise ApiError(501, "not_implemented", f"format {fmt!r} needs invoicetone.sources, which this installation lacks; send format 'plain'")

    def run() -> dict[str, Any]:
        try:
            units = list(sources.parse_units(text, fmt))
        except sources.SourceError as exc:
            raise ApiError(400, "invalid_input", f"the {fmt} input cannot be read: {exc}") from None
        if not units:
            raise ApiError(400, "invalid_input", f"no draft text found in the {fmt} input")
        unit = units[0]
        context = client_message if client_message is not None else getattr(unit, "client_message", None)
        report = checker.check_document(unit.document, lang=lang, client_message=context, contract=contract)
        suppressions = getattr(unit, "suppressions", ())
        if suppressions:  # inline "invoicetone: ignore" comments of the source format
            kept = tuple(
                f for f in report.findings
                if not any(s.covers(f.rule_id, f.category.value, f.start) for s in suppressions)
            )
            report = dataclasses.replace(report, findings=kept)
        result = report.to_dict()
        if context is not None and client_message is None:
            result["client_message"] = context
        return result

    return JSONUTF8Response(await _check(service, run, _size(text, client_message)))


FIX_FIELDS = {"text", "lang", "client_message", "contract", "fixes"}
FIX_ITEM_FIELDS = {"rule_id", "start", "end", "suggestion"}


def _fix_requests(body: Mapping[str, Any]) -> list[tuple[str, int, int, int]] | None:
    fixes = body.get("fixes")
    if fixes is None:
        return None
    if not isinstance(fixes, list):
        raise ApiError(400, "invalid_request", "field 'fixes' must be an array of {rule_id, start, end, suggestion}")
    wanted = []
    for index, item in enumerate(fixes):
        if not isinstance(item, dict):
            raise ApiError(400, "invalid_request", f"fixes[{index}] must be an object")
        _fields(item, FIX_ITEM_FIELDS, f"fixes[{index}]")
        rule_id = item.get("rule_id")
        start, end, suggestion = item.get("start"), item.get("end"), item.get("suggestion", 0)
        if not isinstance(rule_id, str):
            raise ApiError(400, "invalid_request", f"fixes[{index}].rule_id must be a string")
        for name, value in (("start", start), ("end", end), ("suggestion", suggestion)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ApiError(400, "invalid_request", f"fixes[{index}].{name} must be a non-negative integer")
        assert isinstance(start, int) and isinstance(end, int) and isinstance(suggestion, int)
        wanted.append((rule_id, start, end, suggestion))
    return wanted


async def v1_fix(request: Request) -> Response:
    service = _service(request)
    _authorise(request, service)
    body = await _json_body(request)
    _fields(body, FIX_FIELDS, "a /v1/fix request")
    text = _string(body, "text", required=True) or ""
    lang = _lang(body)
    client_message = _string(body, "client_message")
    contract = _contract(body, lang)
    wanted = _fix_requests(body)
    checker = service.checker

    def run() -> dict[str, Any]:
        before = checker.check(text, lang=lang, client_message=client_message, contract=contract)
        chosen: list[tuple[Finding, int]] = []
        if wanted is None:
            chosen = [(f, 0) for f in before.findings if f.autofix and f.suggestions]
        else:
            by_key = {(f.rule_id, f.start, f.end): f for f in before.findings}
            for rule_id, start, end, suggestion in wanted:
                finding = by_key.get((rule_id, start, end))
                if finding is None:
                    raise ApiError(
                        409, "finding_not_found",
                        f"{rule_id} at {start}..{end} is not a finding of this text; check the text again and use the new offsets",
                    )
                if suggestion >= len(finding.suggestions):
                    raise ApiError(400, "invalid_request", f"{rule_id} has {len(finding.suggestions)} suggestion(s), no #{suggestion}")
                chosen.append((finding, suggestion))
        if len(chosen) == 1:
            fixed = invoicetone.apply_suggestion(text, chosen[0][0], chosen[0][1])
        else:
            fixed = apply_edits(text, [(f.start, f.end, f.suggestions[i].replacement) for f, i in chosen])
        after: Report = checker.check(fixed, lang=lang, client_message=client_message, contract=contract) if chosen else before
        return {
            "text": fixed,
            "applied": [
                {"rule_id": f.rule_id, "start": f.start, "end": f.end, "replacement": f.suggestions[i].replacement}
                for f, i in chosen
            ],
            "score_before": round(before.score, 2),
            "report": after.to_dict(),
        }

    return JSONUTF8Response(await _check(service, run, 2 * _size(text, client_message)))


OUTLINE_FIELDS = {"client_message", "contract", "lang"}


def _plain(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


async def v1_outline(request: Request) -> Response:
    service = _service(request)
    _authorise(request, service)
    body = await _json_body(request)
    _fields(body, OUTLINE_FIELDS, "a /v1/outline request")
    client_message = _string(body, "client_message", required=True) or ""
    lang = _lang(body)
    contract = _contract(body, lang)
    outline = getattr(invoicetone, "outline", None)
    if outline is None:
        raise ApiError(501, "not_implemented", "this installation of invoicetone has no outline helper yet")

    def run() -> dict[str, Any]:
        result = _plain(outline(client_message, contract=contract, lang=lang))
        return result if isinstance(result, dict) else {"outline": result}

    return JSONUTF8Response(await _check(service, run, _size(client_message)))


async def v1_rules(request: Request) -> Response:
    service = _service(request)
    _authorise(request, service)
    lang = request.query_params.get("lang")
    if lang is not None and lang not in SUPPORTED_LANGS:
        raise ApiError(400, "unsupported_language", f"query parameter 'lang' is {lang!r}; use one of {list(SUPPORTED_LANGS)}")
    rules = await _check(service, lambda: service.checker.rules(lang))
    return JSONUTF8Response(
        {
            "rules": [
                {
                    "id": r.id,
                    "lang": r.lang,
                    "category": r.category.value,
                    "severity": r.severity.value,
                    "message": r.message,
                    "rationale": r.rationale,
                    "suggestions": list(r.suggestions),
                    "autofix": r.autofix,
                    "link": r.link,
                }
                for r in rules
            ]
        }
    )


async def healthz(request: Request) -> Response:
    service = _service(request)
    return JSONUTF8Response({"status": "ok", "version": service.version, "languages": list(SUPPORTED_LANGS)})


# --------------------------------------------------------------------------- /v2 (LanguageTool)


async def _lt_params(request: Request) -> dict[str, str]:
    params: dict[str, str] = dict(request.query_params)
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data", ""):
            raise ApiError(415, "unsupported_media_type", "send /v2/check parameters form-encoded (application/x-www-form-urlencoded)")
        if content_type:
            try:
                form: FormData = await request.form()
            except Exception as exc:  # python-multipart raises several types for broken forms
                raise ApiError(400, "malformed_form", f"the form data cannot be parsed: {exc}") from None
            for key, value in form.items():
                if isinstance(value, str):
                    params[key] = value
    return params


async def v2_check(request: Request) -> Response:
    service = _service(request)
    params_raw = await _lt_params(request)
    _authorise(request, service, params_raw.get("apiKey"))
    try:
        params = parse_params(params_raw)
    except LTRequestError as exc:
        raise ApiError(400, "invalid_request", str(exc)) from None
    checker = service.checker

    def run() -> dict[str, Any]:
        report = checker.check_document(params.document, lang=params.base_lang)
        return lt_response(report, params, service.version)

    return JSONUTF8Response(await _check(service, run, _size(params.document.original)))


async def v2_languages(request: Request) -> Response:
    return JSONUTF8Response(languages_response())


# --------------------------------------------------------------------------- static


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    text = resources.files("invoicetone.server").joinpath("openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    document["info"]["version"] = invoicetone.__version__
    return document


@lru_cache(maxsize=1)
def playground_page() -> tuple[bytes, str]:
    """The page and its Content-Security-Policy (the inline script allowed by its hash)."""
    html = resources.files("invoicetone.server").joinpath("playground.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'" for s in scripts
    )
    policy = (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; connect-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return html.encode("utf-8"), policy


async def openapi(request: Request) -> Response:
    return JSONUTF8Response(openapi_document())


async def playground(request: Request) -> Response:
    page, policy = playground_page()
    return Response(
        page,
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"},
    )


# --------------------------------------------------------------------------- assembly


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.headers)


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 400: "bad_request"}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = {404: f"no such endpoint: {request.url.path}; see /openapi.json", 405: f"{request.method} is not allowed on {request.url.path}"}.get(
        exc.status_code, str(exc.detail)
    )
    return error_response(exc.status_code, _HTTP_CODES.get(exc.status_code, "http_error"), message, exc.headers)


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.error("internal error on %s %s: %s", request.method, request.url.path, type(exc).__name__, exc_info=exc)
    return error_response(500, "internal_error", "the server failed on this request; it has been logged")


def create_app(
    config: ServerConfig | None = None, *, checker: Checker | None = None, warm_up: bool = True, freeze_heap: bool = False
) -> Starlette:
    """The ASGI application for ``config`` (validated here).

    ``warm_up`` does the checker's first-use work at startup; ``freeze_heap`` (for a worker process
    of its own, as ``invoicetone serve`` starts) then moves everything loaded so far out of the
    garbage collector's sight, so that full collections (otherwise 60-80 ms over the pipelines and
    rule tables) stay short while serving.
    """
    config = (config or ServerConfig()).validate()
    service = Service(config, checker)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if warm_up:
            await asyncio.get_running_loop().run_in_executor(service.executor, service.warm_up)
        if freeze_heap:
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            service.close()

    cors_regex = DEFAULT_CORS_REGEX if config.cors_defaults else None
    routes = [
        Route("/", playground, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/v1/check", v1_check, methods=["POST"]),
        Route("/v1/fix", v1_fix, methods=["POST"]),
        Route("/v1/outline", v1_outline, methods=["POST"]),
        Route("/v1/rules", v1_rules, methods=["GET"]),
        Route("/v2/check", v2_check, methods=["GET", "POST"]),
        Route("/v2/languages", v2_languages, methods=["GET"]),
    ]
    middleware = [
        Middleware(AccessLogMiddleware),
        Middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_origin_regex=cors_regex,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        ),
        Middleware(BodyLimitMiddleware, max_body=config.max_body),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        ApiError: _api_error,
        HTTPException: _http_error,
        Exception: _internal_error,
    }
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=handlers, lifespan=lifespan)
    app.state.service = service
    return app
