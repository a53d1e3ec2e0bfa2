"""Contract terms: from a mapping the caller gives, or extracted from plain contract text.

A :class:`Contract` is parsed once and reused across many checks (``check(contract=...)``).
From text we extract, with offsets into that text: payment terms in days ("Net 30", "within 30
days of the invoice date", "splatnosť 14 dní"), dates, amounts with currencies ("€1,250.00",
"1 250,00 €"), percentages ("0,05 % denne"), late-payment fees and interest, hourly/daily rates and
clause numbers with their headings ("4.2 Payment terms", "Článok 5 Platobné podmienky",
"čl. 5 ods. 2"). Each term remembers the clause it stands in, so a suggestion can cite it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import regex

from ._regexes import LazyRegex
from .errors import ConfigError

__all__ = ["Contract", "ContractTerm", "Rate", "coerce_contract"]


TERM_KINDS = ("clause", "clause_ref", "payment_days", "date", "due_date", "amount", "percentage", "late_fee", "rate")


@dataclass(frozen=True)
class ContractTerm:
    """One term found in contract text. ``start``/``end`` index the contract text given."""

    kind: str
    text: str
    start: int
    end: int
    value: str
    clause: str = ""
    heading: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Rate:
    """An agreed rate: ``amount`` in ``currency`` per ``unit`` (hour, day, item, …)."""

    name: str
    amount: float
    currency: str = ""
    unit: str = ""
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ------------------------------------------------------------------------------------------ patterns

_NUM = r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_CUR_BEFORE = r"€|\$|£|EUR|USD|GBP|CZK|CHF|Kč"
_CUR_AFTER = r"€|\$|£|EUR|USD|GBP|CZK|CHF|Kč|eur|euro|eur[ao]?|dollars?|pounds?"
_AMOUNT = LazyRegex(
    rf"(?<![\w.,])(?:(?P<c1>{_CUR_BEFORE})\s?(?P<n1>{_NUM})|(?P<n2>{_NUM})\s?(?P<c2>{_CUR_AFTER}))(?![\w])",
    regex.IGNORECASE,
)
_PERCENT = LazyRegex(r"(?<![\w.,])(?P<n>\d+(?:[.,]\d+)?)\s?(?:%|percent\b|per\s?cent\b|percent[ao]?\b|perc\.)", regex.IGNORECASE)
_CURRENCY_NAMES = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "eura": "EUR", "euro.": "EUR", "$": "USD", "usd": "USD",
    "dollar": "USD", "dollars": "USD", "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
    "czk": "CZK", "kč": "CZK", "chf": "CHF", "eure": "EUR", "euri": "EUR",
}

_MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    # Slovak (nominative and genitive, with and without diacritics)
    "január": 1, "januára": 1, "februára": 2, "február": 2, "marec": 3, "marca": 3,
    "apríl": 4, "apríla": 4, "máj": 5, "mája": 5, "jún": 6, "júna": 6, "júl": 7, "júla": 7,
    "augusta": 8, "septembra": 9, "októbra": 10, "október": 10,
    "novembra": 11, "decembra": 12, "januara": 1, "februara": 2, "aprila": 4, "maja": 5,
    "juna": 6, "jula": 7, "oktobra": 10,
}
_MONTH_RE = "|".join(sorted((regex.escape(m) for m in _MONTHS), key=len, reverse=True))
_DATE = LazyRegex(
    rf"(?<![\w.])(?:"
    rf"(?P<iso>(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}}))"
    rf"|(?P<dot>(?P<dd>\d{{1,2}})\.\s?(?P<dm>\d{{1,2}})\.\s?(?P<dy>\d{{4}}))"
    rf"|(?P<slash>(?P<sd>\d{{1,2}})/(?P<sm>\d{{1,2}})/(?P<sy>\d{{4}}))"
    rf"|(?P<dmy>(?P<td>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?(?P<tm>{_MONTH_RE})\.?,?\s+(?P<ty>\d{{4}}))"
    rf"|(?P<mdy>(?P<um>{_MONTH_RE})\.?\s+(?P<ud>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<uy>\d{{4}}))"
    rf")(?![\w])",
    regex.IGNORECASE,
)

# payment terms in days; group "days" holds the number
_DAYS_PATTERNS = [
    LazyRegex(r"\bnet[\s\-]?(?P<days>\d{1,3})\b", regex.IGNORECASE),
    LazyRegex(
        r"\b(?:within|in|no\s+later\s+than|not\s+later\s+than|after|of)\s+(?:[a-z\-]+\s+\()?(?P<days>\d{1,3})\)?\s+"
        r"(?:calendar\s+|business\s+|working\s+|banking\s+)?days?\b",
        regex.IGNORECASE,
    ),
    LazyRegex(
        r"\b(?:[a-z\-]+\s+\()?(?P<days>\d{1,3})\)?\s+(?:calendar\s+|business\s+|working\s+)?days?\s+"
        r"(?:of|from|after|following)\s+(?:the\s+)?(?:date\s+of\s+|receipt\s+of\s+|issue\s+of\s+)?(?:the\s+)?"
        r"(?:invoice|receipt|issue|delivery|billing)",
        regex.IGNORECASE,
    ),
    LazyRegex(r"\bpayment\s+terms?\s*(?:are|is|of|:)?\s*(?P<days>\d{1,3})\s+days?\b", regex.IGNORECASE),
    # Slovak: "splatnosť 14 dní", "splatná do 14 dní", "v lehote 14 dní", "do 14 dní odo dňa doručenia"
    LazyRegex(
        r"\bsplatn\w*\s+(?:faktúr\w*\s+|faktur\w*\s+)?(?:je\s+|sú\s+|su\s+)?(?:do\s+|v\s+lehote\s+|v\s+lehote\s+do\s+)?"
        r"(?:\w+\s+\()?(?P<days>\d{1,3})\)?\s*(?:kalendárnych\s+|kalendarnych\s+|pracovných\s+|pracovnych\s+)?(?:dní|dni|dňa|dna|dňoch|dnoch)\b",
        regex.IGNORECASE,
    ),
    LazyRegex(
        r"\b(?:do|v\s+lehote(?:\s+do)?|lehote\s+splatnosti)\s+(?:\w+\s+\()?(?P<days>\d{1,3})\)?\s*"
        r"(?:kalendárnych\s+|kalendarnych\s+|pracovných\s+|pracovnych\s+)?(?:dní|dni|dňa|dna)\b",
        regex.IGNORECASE,
    ),
]
_PAYMENT_CUE = LazyRegex(r"\b(?:pay\w*|due|net|invoice\w*|settle\w*|splatn\w*|úhrad\w*|uhrad\w*|zaplat\w*|faktúr\w*|faktur\w*|platb\w*|platen\w*)", regex.IGNORECASE)
_DUE_CUE = LazyRegex(r"\b(?:due|payable|deadline|splatn\w*|uhradiť\s+do|uhradit\s+do|zaplatiť\s+do|zaplatit\s+do)", regex.IGNORECASE)
_LATE_CUE = LazyRegex(
    r"\b(?:late|overdue|interest|arrears|penalt\w*|delay\w*|omeškan\w*|omeskan\w*|úrok\w*|urok\w*|pokut\w*|penále|penale|sankc\w*|poplat\w*\s+za\s+oneskoren\w*)",
    regex.IGNORECASE,
)
_PERIODS = [
    ("day", LazyRegex(r"\b(?:per\s+day|a\s+day|daily|each\s+day|for\s+each\s+day|denne|za\s+(?:každý\s+|kazdy\s+)?deň|za\s+(?:každý\s+|kazdy\s+)?den|p\.\s?d\.)", regex.IGNORECASE)),
    ("month", LazyRegex(r"\b(?:per\s+month|a\s+month|monthly|each\s+month|mesačne|mesacne|za\s+(?:každý\s+)?mesiac|p\.\s?m\.)", regex.IGNORECASE)),
    ("year", LazyRegex(r"\b(?:per\s+annum|per\s+year|a\s+year|annually|yearly|ročne|rocne|za\s+rok|p\.\s?a\.)", regex.IGNORECASE)),
]
_RATE_UNIT = LazyRegex(
    r"^\s*(?:(?:per|an?|each|/)\s*(?P<u1>hour|hr|h|day|man[\s\-]?day|person[\s\-]?day|item|page|word)\b"
    r"|za\s+(?:každú\s+|kazdu\s+)?(?P<u2>hodinu|hod\.?|deň|den|človekodeň|clovekoden|kus|stranu)"
    r"|/\s*(?P<u3>hod\.?|h|hr|deň|den|md|hour|day)\b)",
    regex.IGNORECASE,
)
_RATE_BEFORE = LazyRegex(r"(?:hourly|daily|day)\s+rate\s+(?:of\s+|is\s+|:\s*)?$|(?:hodinová|hodinova|denná|denna)\s+sadzba\s+(?:je\s+|:\s*|vo\s+výške\s+|vo\s+vyske\s+)?$", regex.IGNORECASE)
_UNIT_NAMES = {"hour": "hour", "hr": "hour", "h": "hour", "hodinu": "hour", "hod": "hour", "hod.": "hour", "day": "day", "deň": "day", "den": "day", "md": "day", "man-day": "day", "man day": "day", "person-day": "day", "človekodeň": "day", "clovekoden": "day", "item": "item", "kus": "item", "page": "page", "stranu": "page", "word": "word"}

# clause headings at the start of a line: "4.2 Payment terms", "Clause 7 – Late payment", "Článok 5"
_HEADING_LINE = LazyRegex(
    r"(?m)^[ \t]*(?:(?P<kw>clause|section|article|art\.|článok|clanok|čl\.|cl\.|bod)[ \t]+)?"
    r"(?P<num>(?:\d{1,2}(?:\.\d{1,2}){0,3})|[IVXL]{1,6})(?P<dot>[.)])?"
    r"(?:[ \t]*[\-–—:.][ \t]*|[ \t]+|(?=[ \t]*$))(?P<rest>[^\n]*)$",
    regex.IGNORECASE,
)
_PARAGRAPH_LINE = LazyRegex(r"(?m)^[ \t]*\((?P<num>\d{1,2})\)[ \t]+")
_CLAUSE_REF = LazyRegex(
    r"(?<![\w.])(?:(?P<kw>clauses?|sections?|articles?|§|čl\.|cl\.|článk\w*|clank\w*|článok|clanok|bod\w*|paragraph)\s*"
    r"(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})(?:\s*(?:ods\.|odsek\w*|\()\s*(?P<ods>\d{1,2})\)?)?)(?![\w])",
    regex.IGNORECASE,
)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15, "XVI": 16, "XVII": 17, "XVIII": 18, "XIX": 19, "XX": 20}
_SENTENCE_SPLIT = LazyRegex(r"(?<=[.!?;])\s+(?=[\p{Lu}(])|\n\s*\n|\n(?=[ \t]*(?:\(?\d{1,2}(?:\.\d{1,2})*[.)]?\s|[-*•]))")


def parse_amount(number: str) -> float | None:
    """``1,250.00`` / ``1 250,00`` / ``1.250`` / ``80`` → float (``None`` when unreadable)."""
    digits = number.replace("\u00a0", " ").replace("\u202f", " ").replace(" ", "")
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        digits = digits.replace(thousands, "").replace(decimal, ".")
    elif "," in digits or "." in digits:
        sep = "," if "," in digits else "."
        parts = digits.split(sep)
        # "1,250" / "1.250.000" group thousands; "80,50" has decimals
        digits = digits.replace(sep, "") if len(parts) > 2 or len(parts[-1]) == 3 else digits.replace(sep, ".")
    try:
        return float(digits)
    except ValueError:
        return None


def _currency(symbol: str) -> str:
    return _CURRENCY_NAMES.get(symbol.lower(), symbol.upper())


def _iso(match: regex.Match[str]) -> str:
    try:
        if match.group("iso"):
            y, m, d = int(match.group("iy")), int(match.group("im")), int(match.group("id"))
        elif match.group("dot"):
            y, m, d = int(match.group("dy")), int(match.group("dm")), int(match.group("dd"))
        elif match.group("slash"):
            y, m, d = int(match.group("sy")), int(match.group("sm")), int(match.group("sd"))
        elif match.group("dmy"):
            y, m, d = int(match.group("ty")), _MONTHS[match.group("tm").lower()], int(match.group("td"))
        else:
            y, m, d = int(match.group("uy")), _MONTHS[match.group("um").lower()], int(match.group("ud"))
        return _dt.date(y, m, d).isoformat()
    except (ValueError, KeyError):
        return ""


def _fmt_number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


# ------------------------------------------------------------------------------------------ Contract

CONTRACT_KEYS: Mapping[str, str] = {
    "payment_days": "whole number of days from the invoice date (int), e.g. 30",
    "payment_clause": "clause or section that sets the payment terms (str), e.g. '4.2'",
    "due_date": "due date of the disputed invoice (str or datetime.date), e.g. '2026-05-15'",
    "late_fee": "late-payment fee or interest (str, or a number meaning per cent), e.g. '1.5% per month'",
    "late_fee_clause": "clause that sets the late fee (str), e.g. '7'",
    "rates": "agreed rates (mapping name -> number or text), e.g. {'hourly': 80} or {'design': '€90 per hour'}",
    "currency": "currency code of the amounts (str), e.g. 'EUR'",
    "amount": "invoice total as written (str or number), e.g. '€1,250.00'",
    "invoice_number": "number of the disputed invoice (str or int), e.g. 'INV-1042'",
    "client_name": "the client's name as you address them (str), e.g. 'Ms Novak'",
    "clauses": "clause numbers and headings (mapping str -> str), e.g. {'4.2': 'Payment terms'}",
    "lang": "language of the contract, 'en' or 'sk' (str)",
}


@dataclass(frozen=True)
class Contract:
    """Agreed terms, from :meth:`from_mapping` or :meth:`from_text`. Immutable; parse once, reuse."""

    payment_days: int | None = None
    payment_clause: str | None = None
    due_date: str | None = None
    late_fee: str | None = None
    late_fee_percent: float | None = None
    late_fee_clause: str | None = None
    rates: tuple[Rate, ...] = ()
    currency: str | None = None
    amount: str | None = None
    invoice_number: str | None = None
    client_name: str | None = None
    clauses: tuple[tuple[str, str], ...] = ()
    terms: tuple[ContractTerm, ...] = ()
    lang: str | None = None
    source: str = "mapping"

    # -- constructors
    @classmethod
    def from_text(cls, text: str, lang: str | None = None) -> Contract:
        """Extract terms from plain contract text (English or Slovak). Nothing found is fine."""
        if not isinstance(text, str):
            raise ConfigError(f"contract text must be str, not {type(text).__name__}", key="contract")
        if lang is not None and lang not in ("en", "sk"):
            raise ConfigError(f"unsupported contract language {lang!r}; use 'en', 'sk' or None", key="lang")
        return _from_text_cached(text, lang)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> Contract:
        """Known terms as a mapping; see ``CONTRACT_KEYS`` (and docs/coaching.md) for the keys."""
        if not isinstance(mapping, Mapping):
            raise ConfigError(f"contract must be a mapping, not {type(mapping).__name__}", key="contract")
        return _from_mapping(mapping)

    # -- helpers
    @property
    def is_empty(self) -> bool:
        return not (
            self.payment_days or self.due_date or self.late_fee or self.rates or self.amount
            or self.invoice_number or self.client_name or self.clauses or self.terms
        )

    def heading(self, clause: str) -> str:
        for number, heading in self.clauses:
            if number == clause:
                return heading
        return ""

    def facts(self) -> dict[str, str]:
        """Slot values known from the contract (for suggestion templates)."""
        facts: dict[str, str] = {}
        if self.payment_days is not None:
            facts["payment_days"] = str(self.payment_days)
        if self.payment_clause:
            facts["payment_clause"] = self.payment_clause
        if self.due_date:
            facts["due_date"] = self.due_date
        if self.late_fee:
            facts["late_fee"] = self.late_fee
        if self.late_fee_clause:
            facts["late_fee_clause"] = self.late_fee_clause
        if self.rates:
            facts["rate"] = self.rates[0].text or _fmt_number(self.rates[0].amount)
        if self.amount:
            facts["amount"] = self.amount
        if self.invoice_number:
            facts["invoice_number"] = self.invoice_number
        if self.client_name:
            facts["client_name"] = self.client_name
        return facts

    def to_dict(self) -> dict[str, Any]:
        return {
            "payment_days": self.payment_days,
            "payment_clause": self.payment_clause,
            "due_date": self.due_date,
            "late_fee": self.late_fee,
            "late_fee_percent": self.late_fee_percent,
            "late_fee_clause": self.late_fee_clause,
            "rates": [r.to_dict() for r in self.rates],
            "currency": self.currency,
            "amount": self.amount,
            "invoice_number": self.invoice_number,
            "client_name": self.client_name,
            "clauses": dict(self.clauses),
            "terms": [t.to_dict() for t in self.terms],
            "lang": self.lang,
            "source": self.source,
        }


def coerce_contract(value: Any, lang: str | None = None) -> Contract | None:
    """``check(contract=...)``: a Contract, a mapping, contract text, or None."""
    if value is None or isinstance(value, Contract):
        return value
    if isinstance(value, str):
        return Contract.from_text(value, lang)
    if isinstance(value, Mapping):
        return Contract.from_mapping(value)
    raise ConfigError(
        f"contract must be an invoicetone.Contract, a mapping of terms or contract text, not {type(value).__name__}",
        key="contract",
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _from_mapping(mapping: Mapping[str, Any]) -> Contract:
    for key in mapping:
        if key not in CONTRACT_KEYS:
            raise ConfigError(f"unknown contract key {key!r}; known keys: {sorted(CONTRACT_KEYS)}", key=str(key))
    values: dict[str, Any] = {}

    def bad(key: str, value: Any) -> ConfigError:
        return ConfigError(f"contract key {key!r} must be a {CONTRACT_KEYS[key]}, not {type(value).__name__} {value!r}", key=key)

    for key in ("payment_clause", "late_fee_clause", "client_name", "currency"):
        value = mapping.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise bad(key, value)
        values[key] = value.strip()
    if "payment_days" in mapping and mapping["payment_days"] is not None:
        days = mapping["payment_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 3650:
            raise bad("payment_days", days)
        values["payment_days"] = days
    due = mapping.get("due_date")
    if due is not None:
        if isinstance(due, _dt.datetime):
            values["due_date"] = due.date().isoformat()
        elif isinstance(due, _dt.date):
            values["due_date"] = due.isoformat()
        elif isinstance(due, str) and due.strip():
            values["due_date"] = due.strip()
        else:
            raise bad("due_date", due)
    fee = mapping.get("late_fee")
    if fee is not None:
        if _is_number(fee):
            values["late_fee"] = f"{_fmt_number(float(fee))}%"
            values["late_fee_percent"] = float(fee)
        elif isinstance(fee, str) and fee.strip():
            values["late_fee"] = fee.strip()
            percent = _PERCENT.search(fee)
            if percent:
                values["late_fee_percent"] = parse_amount(percent.group("n"))
        else:
            raise bad("late_fee", fee)
    for key in ("amount", "invoice_number"):
        value = mapping.get(key)
        if value is None:
            continue
        if _is_number(value):
            values[key] = _fmt_number(float(value)) if key == "amount" else str(value)
        elif isinstance(value, str) and value.strip():
            values[key] = value.strip()
        else:
            raise bad(key, value)
    rates = mapping.get("rates")
    if rates is not None:
        if not isinstance(rates, Mapping):
            raise bad("rates", rates)
        parsed: list[Rate] = []
        for name, raw in rates.items():
            if not isinstance(name, str):
                raise ConfigError(f"contract key 'rates' needs text names, not {name!r}", key="rates")
            parsed.append(_rate_from_value(name, raw, values.get("currency", "")))
        values["rates"] = tuple(parsed)
    clauses = mapping.get("clauses")
    if clauses is not None:
        if not isinstance(clauses, Mapping):
            raise bad("clauses", clauses)
        items: list[tuple[str, str]] = []
        for number, heading in clauses.items():
            if not isinstance(number, (str, int, float)) or isinstance(number, bool) or not isinstance(heading, str):
                raise ConfigError(f"contract key 'clauses' maps clause numbers to headings (str -> str), not {number!r}: {heading!r}", key="clauses")
            items.append((str(number).strip(), heading.strip()))
        values["clauses"] = tuple(items)
    lang = mapping.get("lang")
    if lang is not None:
        if lang not in ("en", "sk"):
            raise bad("lang", lang)
        values["lang"] = lang
    contract = Contract(**values, source="mapping")
    # a payment clause not given: the one whose heading speaks of payment
    if contract.payment_clause is None and contract.clauses:
        for number, heading in contract.clauses:
            if _PAYMENT_CUE.search(heading) and not _LATE_CUE.search(heading):
                contract = _replace(contract, payment_clause=number)
                break
    if contract.late_fee_clause is None and contract.clauses:
        for number, heading in contract.clauses:
            if _LATE_CUE.search(heading):
                contract = _replace(contract, late_fee_clause=number)
                break
    return contract


def _replace(contract: Contract, **changes: Any) -> Contract:
    from dataclasses import replace

    return replace(contract, **changes)


def _rate_from_value(name: str, raw: Any, currency: str) -> Rate:
    if _is_number(raw):
        return Rate(name, float(raw), currency, "hour" if "hour" in name.lower() else "", f"{_fmt_number(float(raw))}{' ' + currency if currency else ''}")
    if isinstance(raw, str):
        match = _AMOUNT.search(raw)
        number = match.group("n1") or match.group("n2") if match else None
        if number is None:
            bare = regex.search(_NUM, raw)
            number = bare.group() if bare else None
        amount = parse_amount(number) if number else None
        if amount is not None:
            cur = _currency(match.group("c1") or match.group("c2")) if match else currency
            unit_match = regex.search(r"(?:per|/|za)\s*(\w+)", raw, regex.IGNORECASE)
            unit = _UNIT_NAMES.get(unit_match.group(1).lower(), unit_match.group(1).lower()) if unit_match else ""
            return Rate(name, amount, cur, unit, raw.strip())
    raise ConfigError(f"contract key 'rates' needs a number or a text with an amount for {name!r}, not {raw!r}", key="rates")


# ------------------------------------------------------------------------------------------ extraction


@dataclass
class _Clause:
    number: str
    label: str
    heading: str
    start: int
    end: int


@lru_cache(maxsize=64)
def _from_text_cached(text: str, lang: str | None) -> Contract:
    if lang is None:
        from ._langdetect import detect_language

        lang = detect_language(text)[0]
    return _extract(text, lang)


def _clauses(text: str) -> list[_Clause]:
    """Clause headings and numbered paragraphs, in text order, with the text span each governs."""
    found: list[_Clause] = []
    lines = list(_HEADING_LINE.finditer(text))
    for match in lines:
        keyword = (match.group("kw") or "").lower()
        number = match.group("num")
        rest = match.group("rest").strip()
        if number.isalpha():
            if not keyword:
                continue
            number = str(_ROMAN.get(number.upper(), 0))
            if number == "0":
                continue
        # "5 Payment" without a keyword or dot: only when a capitalised short heading follows
        if not keyword and not match.group("dot") and "." not in number and (not rest[:1].isupper() or len(rest.split()) > 6):
            continue
        if not keyword and rest[:1].islower():
            continue
        if not keyword and not rest:
            continue
        heading = ""
        words = rest.split()
        lead = regex.match(r"(?P<h>[^.;:]{2,60}?)\.\s+\p{Lu}", rest)
        if rest and len(words) <= 8 and not regex.search(r"[.;:,]$", rest) and not _DAYS_PATTERNS[1].search(rest):
            heading = rest.rstrip(" -–—:")
        elif lead and len(lead.group("h").split()) <= 6 and lead.group("h")[:1].isupper():
            # "4.2 Payment terms. Invoices are payable …": a run-in heading
            heading = lead.group("h").strip()
        elif not rest and keyword:
            # "Článok 5" alone: the heading is the next short line
            after = text[match.end() :].lstrip("\n\r\t ")
            first_line = after.split("\n", 1)[0].strip()
            if first_line and len(first_line.split()) <= 8 and not first_line.endswith((".", ";", ",")) and first_line[:1].isupper():
                heading = first_line
        start = match.start("num") if not keyword else match.start()
        end = match.end("num") + (1 if match.group("dot") else 0)
        if heading:
            end = text.find(heading, end, match.end()) + len(heading) if text.find(heading, end, match.end()) >= 0 else end
        found.append(_Clause(number, number, heading, start, end))
    for match in _PARAGRAPH_LINE.finditer(text):
        found.append(_Clause("", match.group("num"), "", match.start(), match.end()))
    found.sort(key=lambda c: c.start)
    # paragraphs "(2)" inherit the article they stand in: "5 ods. 2" / "5(2)"
    current = ""
    resolved: list[_Clause] = []
    for clause in found:
        if clause.number:
            current = clause.number
            resolved.append(clause)
        elif current:
            resolved.append(_Clause(f"{current}.{clause.label}", f"{current}({clause.label})", "", clause.start, clause.end))
    return resolved


def _clause_at(clauses: list[_Clause], position: int) -> _Clause | None:
    best: _Clause | None = None
    for clause in clauses:
        if clause.start <= position:
            best = clause
        else:
            break
    return best


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    pos = 0
    for match in _SENTENCE_SPLIT.finditer(text):
        if match.start() > pos:
            bounds.append((pos, match.start()))
        pos = match.end()
    if pos < len(text):
        bounds.append((pos, len(text)))
    return bounds


def _heading_chain(clauses: list[_Clause], clause: _Clause | None) -> str:
    """The clause's heading, or the heading of the article it belongs to (4.2 → 4)."""
    if clause is None:
        return ""
    if clause.heading:
        return clause.heading
    number = clause.number
    while "." in number:
        number = number.rsplit(".", 1)[0]
        for other in clauses:
            if other.number == number and other.heading:
                return other.heading
    return ""


def _label(clause: _Clause, lang: str) -> str:
    if lang == "sk" and "(" in clause.label:
        article, paragraph = clause.label.rstrip(")").split("(")
        return f"{article} ods. {paragraph}"
    return clause.label


def _extract(text: str, lang: str) -> Contract:
    clauses = _clauses(text)
    terms: list[ContractTerm] = []
    headings: dict[str, str] = {}
    for clause in clauses:
        heading = _heading_chain(clauses, clause)
        label = _label(clause, lang)
        headings.setdefault(label, heading)
        terms.append(ContractTerm("clause", text[clause.start : clause.end].strip(), clause.start, clause.start + len(text[clause.start : clause.end].rstrip()), label, label, heading))
    heading_spans = [(c.start, c.end) for c in clauses]
    for match in _CLAUSE_REF.finditer(text):
        if any(a < match.end() and match.start() < b for a, b in heading_spans):
            continue
        number = match.group("num")
        label = f"{number} ods. {match.group('ods')}" if match.group("ods") and lang == "sk" else (
            f"{number}({match.group('ods')})" if match.group("ods") else number
        )
        terms.append(ContractTerm("clause_ref", match.group(), match.start(), match.end(), label, label, headings.get(label, "")))

    payment_days: int | None = None
    payment_clause: str | None = None
    due_date: str | None = None
    late_fee: str | None = None
    late_fee_percent: float | None = None
    late_fee_clause: str | None = None
    rates: list[Rate] = []
    currencies: list[str] = []
    for s_start, s_end in _sentence_bounds(text):
        sentence = text[s_start:s_end]
        governing = _clause_at(clauses, s_start + len(sentence) - len(sentence.lstrip()))
        label = _label(governing, lang) if governing else ""
        heading = _heading_chain(clauses, governing)
        late = bool(_LATE_CUE.search(sentence)) or bool(heading and _LATE_CUE.search(heading))
        payment = bool(_PAYMENT_CUE.search(sentence)) or bool(heading and _PAYMENT_CUE.search(heading))
        taken: list[tuple[int, int]] = []
        if payment and not _LATE_CUE.search(sentence):
            for pattern in _DAYS_PATTERNS:
                for match in pattern.finditer(sentence):
                    a, b = match.span()
                    if any(x < b and a < y for x, y in taken):
                        continue
                    taken.append((a, b))
                    days = int(match.group("days"))
                    terms.append(ContractTerm("payment_days", match.group(), s_start + a, s_start + b, str(days), label, heading))
                    if payment_days is None:
                        payment_days = days
                        payment_clause = label or None
        for match in _DATE.finditer(sentence):
            iso = _iso(match)
            kind = "due_date" if _DUE_CUE.search(sentence) else "date"
            terms.append(ContractTerm(kind, match.group(), s_start + match.start(), s_start + match.end(), iso or match.group(), label, heading))
            if kind == "due_date" and due_date is None:
                due_date = iso or match.group()
        for match in _PERCENT.finditer(sentence):
            value = parse_amount(match.group("n"))
            if value is None:
                continue
            a, b = match.span()
            terms.append(ContractTerm("percentage", match.group(), s_start + a, s_start + b, _fmt_number(value), label, heading))
            if late:
                period = next((name for name, rx in _PERIODS if rx.search(sentence)), "")
                tail = next((rx.search(sentence) for _, rx in _PERIODS if rx.search(sentence)), None)
                end = max(b, tail.end()) if tail is not None and tail.start() >= b and tail.start() - b < 40 else b
                terms.append(ContractTerm("late_fee", sentence[a:end], s_start + a, s_start + end, f"{_fmt_number(value)}%{'/' + period if period else ''}", label, heading))
                if late_fee is None:
                    late_fee = sentence[a:end]
                    late_fee_percent = value
                    late_fee_clause = label or None
        for match in _AMOUNT.finditer(sentence):
            number = match.group("n1") or match.group("n2")
            symbol = match.group("c1") or match.group("c2")
            value = parse_amount(number)
            if value is None:
                continue
            cur = _currency(symbol)
            currencies.append(cur)
            a, b = match.span()
            terms.append(ContractTerm("amount", match.group(), s_start + a, s_start + b, f"{value:.2f} {cur}", label, heading))
            unit = _RATE_UNIT.match(sentence[b:])
            before = _RATE_BEFORE.search(sentence[max(0, a - 40) : a])
            if unit or before:
                unit_name = ""
                end = b
                if unit:
                    raw_unit = (unit.group("u1") or unit.group("u2") or unit.group("u3") or "").lower()
                    unit_name = _UNIT_NAMES.get(raw_unit, raw_unit)
                    end = b + unit.end()
                elif before:
                    unit_name = "day" if regex.search(r"daily|day|denn", before.group(), regex.IGNORECASE) else "hour"
                rate_text = sentence[a:end]
                terms.append(ContractTerm("rate", rate_text, s_start + a, s_start + end, f"{value:.2f} {cur}/{unit_name}", label, heading))
                rates.append(Rate(heading or unit_name or "rate", value, cur, unit_name, rate_text))
            elif late and late_fee is None:
                late_fee = match.group()
                late_fee_clause = label or None
                terms.append(ContractTerm("late_fee", match.group(), s_start + a, s_start + b, f"{value:.2f} {cur}", label, heading))
    terms.sort(key=lambda t: (t.start, t.end, t.kind))
    clause_items = tuple((label, heading) for label, heading in headings.items())
    return Contract(
        payment_days=payment_days,
        payment_clause=payment_clause,
        due_date=due_date,
        late_fee=late_fee,
        late_fee_percent=late_fee_percent,
        late_fee_clause=late_fee_clause,
        rates=tuple(rates),
        currency=max(set(currencies), key=currencies.count) if currencies else None,
        clauses=clause_items,
        terms=tuple(terms),
        lang=lang,
        source="text",
    )


# ------------------------------------------------------------------------------------------ contradictions


@dataclass(frozen=True)
class Contradiction:
    """A figure in the draft that disagrees with the contract (analysed-text offsets)."""

    kind: str  # payment_days | late_fee | rate
    start: int
    end: int
    found: str
    expected: str
    replacement: str


_DRAFT_DAYS = [
    LazyRegex(r"\bnet[\s\-]?(?P<days>\d{1,3})\b", regex.IGNORECASE),
    LazyRegex(r"(?<![\w.,])(?P<days>\d{1,3})[\s\-](?:calendar[\s\-]|business[\s\-]|working[\s\-])?days?\b", regex.IGNORECASE),
    LazyRegex(r"(?<![\w.,])(?P<days>\d{1,3})\s*(?:kalendárnych\s+|kalendarnych\s+|pracovných\s+|pracovnych\s+)?(?:dní|dni|dňa|dna|dňoch|dnoch)\b", regex.IGNORECASE),
]
_TERMS_CUE = LazyRegex(
    r"\b(?:contract\w*|agreement|agreed|terms?|clause|section|article|net\s?\d|sow|statement\s+of\s+work|"
    r"zmluv\w*|podmien\w*|dohod\w*|článk\w*|clank\w*|čl\.|cl\.|bod\w*|splatnos\w*|obchodn\w*)",
    regex.IGNORECASE,
)
_NOT_TERMS = LazyRegex(
    r"\b(?:overdue|ago|late\s+by|extend\w*|extra|additional|another|further|more|grace|po\s+splatnosti|"
    r"predĺž\w*|predlz\w*|ďalších|dalsich|navyše|navyse|posun\w*|odklad\w*|meškan\w*|meskan\w*|omeškan\w*)\b",
    regex.IGNORECASE,
)


def find_contradictions(contract: Contract, text: str, sentence_spans: list[tuple[int, int]]) -> list[Contradiction]:
    """Figures in sentences that cite the agreed terms and disagree with them."""
    found: list[Contradiction] = []
    expected_rates = {round(r.amount, 2) for r in contract.rates}
    for s_start, s_end in sentence_spans:
        sentence = text[s_start:s_end]
        if not _TERMS_CUE.search(sentence):
            continue
        if contract.payment_days is not None and _PAYMENT_CUE.search(sentence) and not _LATE_CUE.search(sentence):
            seen: list[tuple[int, int]] = []
            for pattern in _DRAFT_DAYS:
                for match in pattern.finditer(sentence):
                    a, b = match.span()
                    if any(x < b and a < y for x, y in seen):
                        continue
                    seen.append((a, b))
                    window = sentence[max(0, a - 30) : b + 25]
                    if _NOT_TERMS.search(window):
                        continue
                    days = int(match.group("days"))
                    if days != contract.payment_days:
                        number_start = s_start + match.start("days")
                        number_end = s_start + match.end("days")
                        found.append(Contradiction("payment_days", number_start, number_end, str(days), str(contract.payment_days), str(contract.payment_days)))
        if contract.late_fee_percent is not None and _LATE_CUE.search(sentence):
            for match in _PERCENT.finditer(sentence):
                value = parse_amount(match.group("n"))
                if value is not None and abs(value - contract.late_fee_percent) > 1e-9:
                    a, b = match.span("n")
                    expected = _fmt_number(contract.late_fee_percent)
                    if "," in match.group("n"):
                        expected = expected.replace(".", ",")
                    found.append(Contradiction("late_fee", s_start + a, s_start + b, match.group("n"), expected, expected))
        if expected_rates:
            for match in _AMOUNT.finditer(sentence):
                a, b = match.span()
                if not (_RATE_UNIT.match(sentence[b:]) or _RATE_BEFORE.search(sentence[max(0, a - 40) : a])):
                    continue
                number = match.group("n1") or match.group("n2")
                value = parse_amount(number)
                if value is not None and round(value, 2) not in expected_rates:
                    na, nb = match.span("n1") if match.group("n1") else match.span("n2")
                    best = min(contract.rates, key=lambda r: abs(r.amount - value))
                    found.append(Contradiction("rate", s_start + na, s_start + nb, number, _fmt_number(best.amount), _fmt_number(best.amount)))
    return found
