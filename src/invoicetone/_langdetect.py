"""A small offline language detector for the languages invoicetone checks (English, Slovak).

General detectors need more text than a two-sentence reply and know dozens of languages we do not
check (a short Slovak reply typed without diacritics easily comes out as Czech, Croatian or
Latin). We only choose between English and Slovak, so we weigh a few strong cues:

* letters only Slovak uses (``ä č ď ľ ĺ ň ô ŕ š ť ž`` and the long vowels),
* function words of each language (Slovak also in its undiacritised spelling),
* Slovak inflection endings and English spelling patterns on the remaining words.

Words that are likely names or codes of the other language (``SaaS``, ``PDF``, ``INV-2024``, a
word right before or after a digit) count for little, so English product names and invoice
numbers inside a Slovak reply do not tip it over. The confidence is the winner's share of the
evidence, between 0.5 and 1.0. ``bench/langdetect_accuracy.py`` measures it.
"""

from __future__ import annotations

import unicodedata

import regex

DEFAULT_LANG = "en"
_WORD = regex.compile(r"[\p{L}']+")
_SK_LETTERS = frozenset("áäčďéíĺľňóôŕšťúýž")
# Words that are frequent in both languages ("a", "to", "do", "by", "on", "no", "so", "my") are
# left out of both lists: they say nothing about the language.
_SK_WORDS_DIACRITISED = """
aby ako ale alebo ani áno bez bol bola bolo boli bude budeme budete budú ďakujeme ďakujem dobrý
dobré deň je jej ich k ku keď kto ktorá ktoré ktorý ktorú ktorých ktorom mi mňa mám máme máte má
mať mali mal mala ste sme som si sa sú nie nám nás náš naša naše nášho našej našu naši našich
o od po pod pre pri prosím s z zo za že už tak takto tam teda toho tu tiež v vo vám vás váš vaša
vaše vášho vašej vašu vašich vy ja ona ono oni čo prečo kedy kde ešte len iba aj však potom preto
teraz dnes zajtra včera veľmi môže môžeme môžete musí musíte treba vďaka pekne pozdravom ráno
ahoj vážený vážená pani faktúra faktúru faktúry faktúre faktúrou faktúr zmluva zmluvy zmluve
zmluvu zmluvou platba platbu platby platbe splatnosť splatnosti suma sumu sumy dní hodín hodiny
objednávka objednávky objednávku položky položku cena ceny cenu poplatok poplatku dobropis podľa
ohľadom kým nič niečo všetko všetci každý jeden dva tri sa svoje svoj svoju nám ďalšie ďalšiu
ďalší žiadny žiadne žiadna žiaden prílohe prílohu posielame pošleme pošlem chyba chybu chyby nejasné rozumiem chápem
ospravedlňujeme ďakujem vedieť nemôžeme môžeme dohodli dohodnuté podmienky podmienok článku
článok bod ods dňa mesiac mesiaca týždeň piatka pondelka
"""
_SK_WORDS = frozenset(_SK_WORDS_DIACRITISED.split())
_EN_WORDS_TEXT = """
the and you your yours we our ours of for is are was were be been being it its that this
    these those with in at as an i my me please thank thanks invoice invoices payment payments
    contract will would could should shall have has had not can does did just if or from about
    which there their they them what when where why how sorry regards dear hi hello best kind
    team understand attached agreed due us let look looks know see sent send paid pay received
    review check here any all also more than then into out up over only very after before
    because while don't can't won't that's there's let's i'm we're we'll i've you're it's isn't
    doesn't didn't wasn't aren't we've you'll i'll today tomorrow yesterday week friday monday
    amount total fee fees rate hours work balance refund credit note terms clause agreement
    sure happy glad appreciate patience confirm issue issued everyone else time day days month
    number price well done another company complaint
"""
_EN_WORDS = frozenset(_EN_WORDS_TEXT.split())
_SK_ENDINGS = (
    "ujeme",
    "ujete",
    "ujem",
    "íme",
    "ime",
    "áme",
    "ame",
    "ete",
    "áte",
    "ate",
    "íte",
    "ite",
    "ovi",
    "ách",
    "ach",
    "ami",
    "ých",
    "ych",
    "ým",
    "ými",
    "ého",
    "eho",
    "ému",
    "emu",
    "ou",
    "osť",
    "ost",
    "ť",
    "ia",
    "ie",
    "iu",
    "ej",
    "ov",
    "ky",
    "ku",
    "ka",
    "om",
    "ali",
    "ili",
    "eli",
    "ala",
    "ila",
    "alo",
    "ilo",
)
_EN_PATTERNS = regex.compile(r"th|wh|sh|ck|w|q|x|ing$|tion$|ed$|ly$|ould$|ght|ee|oo|ea")


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_SK_WORDS_FOLDED = frozenset(_fold(w) for w in _SK_WORDS) - _EN_WORDS


def _looks_like_code(word: str, text: str, start: int, end: int) -> bool:
    """Acronyms, CamelCase product names, and words glued to digits (``INV-2024``)."""
    return _cased_like_code(word) or _glued_to_digits(text, start, end)


def _cased_like_code(word: str) -> bool:
    return len(word) > 1 and (word.isupper() or (word[0].isupper() and any(c.isupper() for c in word[1:])))


def _glued_to_digits(text: str, start: int, end: int) -> bool:
    around = text[max(0, start - 2) : start] + text[end : end + 2]
    return any(c.isdigit() for c in around) and any(c in "-/_#" for c in around)


# Once one language leads by this much evidence, reading on only costs time (a reply's first few
# sentences decide; the confidence then reflects the words read).
DECISIVE_MARGIN = 30.0

# What a word says on its own, whatever its place: (Slovak points, English points, cased like a
# code, whether it is a long unlisted word, after which the lead is checked). Cached per word.
_WordInfo = tuple[float, float, bool, bool]
_word_info_cache: dict[str, _WordInfo] = {}
_WORD_CACHE_MAX = 100_000


def _word_info(raw: str) -> _WordInfo:
    word = raw.lower()
    code = _cased_like_code(raw)
    if any(c in _SK_LETTERS for c in word):
        # a Slovak letter is strong evidence; a name like "Novák" in English text is one word
        return (2.0 if word in _SK_WORDS else 1.5), 0.0, code, False
    if word in _EN_WORDS:
        return 0.0, 1.5, code, False
    if word in _SK_WORDS or word in _SK_WORDS_FOLDED:
        return 1.5, 0.0, code, False
    if len(word) < 5:
        return 0.0, 0.0, code, False
    sk_cue = word.endswith(_SK_ENDINGS) and not _EN_PATTERNS.search(word)
    en_cue = bool(_EN_PATTERNS.search(word))
    return (0.4 if sk_cue else 0.0), (0.4 if en_cue and not sk_cue else 0.0), code, True


def evidence(text: str) -> tuple[float, float]:
    """(Slovak, English) evidence for ``text``; exposed for the benchmark and tests."""
    sk = 0.0
    en = 0.0
    sample = text[:20000]
    cache = _word_info_cache
    for match in _WORD.finditer(sample):
        raw = match.group().strip("'")
        if not raw:
            continue
        info = cache.get(raw)
        if info is None:
            info = _word_info(raw)
            if len(cache) >= _WORD_CACHE_MAX:
                cache.clear()
            cache[raw] = info
        sk_points, en_points, code, long_word = info
        if sk_points or en_points:
            # words that are likely codes or names of the other language count for little
            weight = 0.25 if code or _glued_to_digits(sample, match.start(), match.end()) else 1.0
            if sk_points:
                sk += weight * sk_points
            else:
                en += weight * en_points
        if long_word and abs(sk - en) >= DECISIVE_MARGIN:
            break  # the rest of a long text cannot change the answer enough to matter
    return sk, en


def detect_language(text: str) -> tuple[str, float]:
    """Return ``(lang, confidence)``: ``lang`` is ``"en"`` or ``"sk"``, confidence is 0.5..1.

    Text with no evidence either way (empty, numbers only) is English with confidence 0.5.
    """
    if not isinstance(text, str):
        raise TypeError(f"detect_language() needs str, not {type(text).__name__}")
    sk, en = evidence(text)
    total = sk + en
    if total == 0:
        return DEFAULT_LANG, 0.5
    if sk > en:
        return "sk", round(0.5 + 0.5 * (sk - en) / total, 3)
    return "en", round(0.5 + 0.5 * (en - sk) / total, 3)
