"""A small offline language detector for the languages invoicetone checks (English, Slovak).

Short replies defeat general detectors, and drafts mix in English product names and invoice
numbers. We score three cues: letters only Slovak uses, Slovak and English function words, and
Slovak word endings; the confidence is the winner's share of the evidence.
"""

from __future__ import annotations

import regex

_WORD = regex.compile(r"\p{L}+")
_SK_LETTERS = set("áäčďéíĺľňóôŕšťúýž")
_SK_WORDS = frozenset(
    """a aby ako ale alebo ani áno bez by bol bola boli bude budeme budete by ďakujeme ďakujem do
    dobrý deň je jej ich k ku keď kto ktorá ktoré ktorý mi ma mám máme máte mali ste sme som si sa
    na nad nie nám nás náš naša naše nášho našej o od po pod pre pri prosím s so sú ta tak takto
    tam teda to toho tom tu už v vo vám vás váš vaša vaše vášho vašej z zo za že faktúra faktúru
    faktúry faktúre zmluva zmluvy zmluve platba platbu splatnosť pozdravom dobry den dakujeme
    prosim nasa nase vasa vase uz ze su faktura fakturu faktury zmluvy platbu splatnost chyba
    chybu termín termin objednávka objednavka suma sumu eur mesiac dní dni""".split()
)
_EN_WORDS = frozenset(
    """the and you your we our to of for is are was were be been it that this with on in at as
    by an a i my me please thank thanks invoice payment contract will would could should have
    has had not no can do does did just if or from about which there their they them what when
    sorry regards dear hi hello best kind team understand attached agreed due""".split()
)
_SK_ENDINGS = ("ť", "ou", "ami", "iach", "ovi", "ého", "ému", "ých", "ým", "ými", "ej", "úť", "ujeme", "ujete", "íme", "áte", "ete")


def detect_language(text: str) -> tuple[str, float]:
    """Return ``(lang, confidence)`` with ``lang`` in ``("en", "sk")`` and confidence in 0.5..1."""
    sk = 0.0
    en = 0.0
    for match in _WORD.finditer(text[:20000]):
        word = match.group().lower()
        if word in _SK_WORDS:
            sk += 1.0
        if word in _EN_WORDS:
            en += 1.0
        if any(c in _SK_LETTERS for c in word):
            sk += 1.5
        elif len(word) > 4 and word.endswith(_SK_ENDINGS) and word not in _EN_WORDS:
            sk += 0.3
    total = sk + en
    if total == 0:
        return "en", 0.5
    if sk > en:
        return "sk", 0.5 + 0.5 * (sk - en) / total
    return "en", 0.5 + 0.5 * (en - sk) / total
