"""Sentences written after the packs, one per coached family (category|sentence), and hard negatives.

Two rounds, each checked before any rule changed: round 1 English 28/39 flagged, Slovak 21/33; round
2 (written after round 1's fixes) English 20/30, Slovak 14/25; round 3 English 16/30, Slovak 6/25
(one Slovak hard negative warned: "pár drobných opráv"). One round-3 sentence is left out because
no rule can tell it from politeness without context ("How nice of you to get in touch after ninety
days").
Round 4 was written by a second engineer who had not seen the rules (80 offending sentences and 40
hard negatives per language): before any change English 45/80 (56 %) and Slovak 42/80 (52.5 %)
were flagged, 1/40 hard negatives warned in each; three sentences that need context to read as
sarcasm are left out.
Round 8, sentences again by a sixth writer (66 offending and 30 hard negatives per language): before
any change English 42/66 (64 %), Slovak 33/66 (50 %), hard negatives warned 0/30 and 2/30; the
sentences still missed after widening are left out.
The families that missed were widened, and these keep them working. They are a regression set
now, not a measure of generalisation: new sentences are.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import invoicetone

FRESH = Path(__file__).parent / "corpus" / "fresh"
CHECKER = invoicetone.Checker(plugin_packs=False)


def _lines(name: str) -> list[str]:
    return [line for line in (FRESH / name).read_text(encoding="utf-8").splitlines() if line.strip()]


FLAG = [(lang, *line.split("|", 1)) for lang in ("en", "sk") for line in _lines(f"{lang}-flag.txt")]
PASS = [(lang, line) for lang in ("en", "sk") for line in _lines(f"{lang}-pass.txt")]


@pytest.mark.parametrize(("lang", "category", "sentence"), FLAG)
def test_fresh_offending_sentence_is_flagged(lang: str, category: str, sentence: str) -> None:
    findings = CHECKER.check(sentence, lang=lang).findings
    if category == "heated":
        assert any(f.category.value in ("heated", "shouting", "emotional") for f in findings), sentence
    else:
        assert any(f.severity.value != "info" for f in findings), sentence


@pytest.mark.parametrize(("lang", "sentence"), PASS)
def test_fresh_hard_negative_gets_no_warning(lang: str, sentence: str) -> None:
    findings = CHECKER.check(sentence, lang=lang).findings
    assert not [(f.rule_id, f.text) for f in findings if f.severity.value != "info"], sentence


# Round 5: whole replies written by a third engineer who had seen neither rules nor corpora, with
# the offending phrases marked [[category|phrase]]. Before any change: English 31/64 phrases found
# (48 %), Slovak 30/63 (48 %), precision 100 % / 97 %, no good reply warned. They are tuned on now.
_MARK = re.compile(r"\[\[(\w+)\|(.*?)\]\]", re.DOTALL)


def _replies(name: str) -> list[tuple[str, str, list[tuple[int, int]]]]:
    out = []
    for line in (FRESH / name).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text, spans, pos = "", [], 0
        for mark in _MARK.finditer(record["text"]):
            text += record["text"][pos : mark.start()]
            spans.append((len(text), len(text) + len(mark.group(2))))
            text += mark.group(2)
            pos = mark.end()
        out.append((record["quality"], text + record["text"][pos:], spans))
    return out


# Round 6: the same again by a fourth writer asked for the least textbook phrasing (industries from
# plumbing to SaaS, Slovak written separately, not translated). Before any change: English 27/73
# (37 %), Slovak 28/75 (37 %), precision 94 % / 100 %, no good reply warned.
# Round 7: a fifth writer asked for the realistic mix of common and individual phrasings. Before any
# change: English 29/55 (53 %), Slovak 31/57 (54 %), precision 91 % / 100 %, no good reply warned.
# Round 9: replies by a seventh writer (trades not used before). Before any change: English 31/65
# (48 %), Slovak 31/64 (48 %), precision 97 % / 100 %, one good English reply warned (see below).
# Round 10: replies by an eighth and ninth writer asked for how tired, annoyed people really write
# (no stock phrases). Phrase rules alone: English 16/58 (28 %), Slovak 15/56 (27 %), precision
# 95 % / 89 %, no good reply warned. With the sentence model (trained before this round, threshold
# 0.9): English 35/58 (60 %), Slovak 34/56 (61 %), precision 90 % / 94 %, 3/16 and 0/16 good
# replies warned. Round 11 (two more writers, businesses nobody had used): rules alone English
# 16/56 (29 %), Slovak 21/66 (32 %); with the model (trained with round 10) English 36/56 (64 %),
# Slovak 43/66 (65 %), precision 90 % / 91 %, 3/16 and 1/16 good replies warned. Both rounds now
# train the model (tools/train_sentence_model.py), so their floors below are regression floors.
# Round 12 (two more writers, asked also for subtle, curt and lecturing tone): rules alone English
# 12/58 (21 %), Slovak 17/54 (31 %); with the model as shipped after round 11 (thresholds 0.92 / 0.88)
# English 24/58 (41 %), Slovak 33/54 (61 %), precision 96 % / 100 %, no good reply warned.
# The rule families were then widened on rounds 10-12 and the training replies (tests/corpus/train/).
# Round 13 (two more writers), measured after that and before training on it: rules alone English
# 24/65 (37 %), Slovak 29/65 (45 %), precision 100 % / 97 %, 0/16 and 1/16 good replies warned; with
# the model English 36/65 (55 %), Slovak 45/65 (69 %), precision 95 % / 94 %, 1/16 and 3/16 good
# replies warned (the Slovak threshold went from 0.88 to 0.9 after this; "ste u nás už tretíkrát"
# is no longer ordinal repetition). Then the model got a second, higher threshold for a sentence in a
# reply nothing else flags (English 0.99, Slovak 0.97), which costs round 13 English ten of its
# phrases (43 -> 33 of 65 even after training on it) and stops most false alarms in good replies.
# Round 14 (two more writers), measured before training on it: rules alone English 32/54 (59 %),
# Slovak 28/56 (50 %); with the model English 38/54 (70 %), Slovak 43/56 (77 %), precision 100 % /
# 100 %, no good reply warned (0/16, 0/16). Round 15 (two more writers), the same way: rules alone
# English 22/62 (35 %), Slovak 20/55 (36 %); with the model 36/62 (58 %) and 31/55 (56 %), precision
# 97 % / 100 %, no good reply warned.
# Session 4. Round 16, measured before anything was tuned on it: rules alone English 21/53 (40 %),
# Slovak 27/58 (47 %); with the model 28/53 (53 %) and 37/58 (64 %), precision 97 % / 95 %, no good
# reply warned. Rules were then widened on it and on 360 training replies, the model retrained with a
# lower threshold (0.6) where a rule already warned. Rounds 17 and 18, written meanwhile and measured
# once on that final configuration (before / after the session's changes): English 61 -> 77 % and
# 58 -> 71 %, Slovak 68 -> 80 % and 64 -> 78 %, precision 96-100 %, good replies warned 0, 0, 0 and 1 of
# 16 (a thank-you for checking "so thoroughly", fixed afterwards). All three are regression sets now.
# Round 19, written while the rules were widened on rounds 17-18 and 240 more training replies:
# measured before that widening (English 76 %, Slovak 72 %, precision 94 % / 98 %, good replies
# warned 0 and 1 of 16) and once after it (72 % and 76 %, 94 % / 98 %, 0 and 1 of 16: "nebolo to vaším
# pochybením", a negated "byť", fixed afterwards).
# Session 5. Round 20, measured before anything was tuned on it: English 45/56 (80 %), Slovak 48/51
# (94 %), precision 96 % / 95 %, good replies warned 0 and 1 of 16 (three false warnings in one
# Slovak wedding reply, fixed); rules then widened on it and 240 training replies per language.
# Round 21, held out and measured before and once after that: English 70 -> 77 %, Slovak 72 -> 75 %
# (one good Slovak reply warned: a narrative "a vy ste ho potvrdili", fixed afterwards). Round 22,
# measured on the final configuration before training on it: English 76 % with the old solo
# threshold, 80 % (43/54) with 0.9; Slovak 80 % (45/56); precision 100 % / 98 %; no good reply warned.
# Round 23, measured once on the final configuration (English threshold 0.5): English 87 % (45/52),
# precision 89 % (five of six unmatched findings were curt lines of bad replies the writer left
# unmarked), 1/16 good replies warned; Slovak 81 % (50/62), 94 %, 2/16 ("Zámočníctvo NONSTOP" in a
# signature, "informovali sme Vás" with a date; both fixed afterwards).
# Session 6. Round 24, measured before any change: English 48/53 (91 %), precision 95 %, 2/16 good
# replies warned ("None of that is down to you", fixed); Slovak 43/51 (84 %), 98 %, 1/16. Rounds 25
# and 26, measured on the session-5 model before the fifth widening and once after it (neither was
# tuned on): English 90 % / 90 % -> 90 % / 86 %, precision 100 % / 93 % -> 100 % / 92 %, 0/16 and 1/16
# good replies warned; Slovak 82 % / 84 % both times, 96 %, 2/16 and 0/16 ("HASPO servis" in a
# signature, now read as a name, and a model false alarm).
# Round 27, measured once on the final session-6 configuration: English 79 % (46/58), precision 98 %,
# 1/16 ("we don't inflate above 24 mph", a bouncy castle; fixed afterwards); Slovak 89 % (48/54), 98 %, 0/16.
# Round 28, measured once after six English and four Slovak families from round 27: English 87 % (53/61),
# precision 98 %, 0/16; Slovak 89 % (54/61), 97 %, 1/16 (a model finding). Over rounds 24-28: English 87 %,
# Slovak 86 %, precision 97 % / 97 %, 4 of 80 good replies warned in each language.
# Round 29, measured once: English 65 % (37/57), 98 %, 1/16 ("the install itself", fixed afterwards);
# Slovak 86 % (49/57), 95 %, 1/16.
# Round 30, measured once on the final session-6 configuration: English 79 % (48/61), 100 %, 0/16; Slovak
# 91 % (43/47), 100 %, 0/16. Over rounds 24-30: English 83 % (337/407), Slovak 86 % (331/383), precision
# 97 % / 97 %, 5 of 112 good replies warned in each language (4.5 %).
# Session 7. Rounds 31 and 32, measured once on the final session-6 configuration: English 87 % (53/61)
# and 90 % (46/51), precision 90 % / 94 %, 1/16 and 1/16 good replies warned ("OSEIB" read as shouting,
# "weather-stopped work" as a cut-off threat); Slovak 81 % (43/53) and 90 % (54/60), 98 % / 92 %, 0/16 and
# 2/16 (a model finding, "musím uznať"). All fixed afterwards; both rounds were then tuned on (rules widened
# from their misses, model retrained), hence the high floors. That retrain dropped one model finding of
# round 29's Slovak replies ("Mohli ste si prečítať, že ide o živé zvieratá…", 52 -> 51 of 57): floor 0.85.
# Round 33, set aside until the final session-7 configuration and measured once: English 94 % (67/71),
# precision 96 %, 0/16; Slovak 90 % (55/61), 98 %, 0/16. Over rounds 24-33: English 85.3 % (503/590),
# Slovak 86.7 % (483/557), precision 96 % / 97 %, 7 of 160 good replies warned in each language.
# Round 34, measured once on the same configuration: English 84 % (54/64), 95 %, 1/16 (a model finding on
# an honest self-correction); Slovak 89 % (54/61), 98 %, 1/16 ("Suma … je teda správna" after the evidence,
# fixed afterwards). Over rounds 24-34: English 85.2 % (557/654), Slovak 86.9 % (537/618), 8 of 176 good
# replies warned in each language (4.5 %).
# Round 35, measured once on the final session-7 configuration: English 88 % (53/60), 97 %, 0/16; Slovak
# 80 % (51/64), 94 %, 2/16 (thanks for checking "tak dôkladne" read as advice to read properly, "keďže ste
# ju neobjednávali Vy" as emphatic-subject blame; both fixed afterwards). Over rounds 24-35: English 85.4 %
# (610/714), Slovak 86.2 % (588/682), 8 and 10 of 192 good replies warned (4.2 % / 5.2 %).
# Session 9. Round 40 (-35), measured once on the final session-8 configuration: English 88 % (52/59), 98 %,
# 0/16; Slovak 86 % (50/58), 96 %, 0/16. Round 41 (-36), measured once on the same rules and model: English
# 91 % (51/56), 95 %, 1/16 (a model finding on a nervous "I think the system didn't pick up the form"); Slovak
# 75 % (39/52), 92 %, 1/16 (a model finding on an honest "neviem, či ste o tom príplatku hovorili"). Both then
# tuned on (rules widened from their misses, model retrained with them), hence the high floors. Over rounds
# 24-41: English 85.9 % (917/1,068), Slovak 85.1 % (858/1,008), 11 and 12 of 288 good replies warned.
# Round 42 (-37), measured once on the final session-9 configuration: English 82 % (42/51), 93 %, 2/16 ("you
# had decided to leave" read as blame; a model finding on "You're of course free to review us however you
# like"); Slovak 81 % (52/64), 100 %, 0/16. Then tuned on like 40-41. Over rounds 24-42: English 85.7 %
# (959/1,119), Slovak 84.9 % (910/1,072), 13 and 12 of 304 good replies warned.
@pytest.mark.parametrize(
    ("lang", "name", "floor"),
    [
        ("en", "en-replies.jsonl", 0.85), ("sk", "sk-replies.jsonl", 0.95), ("en", "en-replies-2.jsonl", 0.8),
        ("sk", "sk-replies-2.jsonl", 0.95), ("en", "en-replies-3.jsonl", 0.9), ("sk", "sk-replies-3.jsonl", 0.85),
        ("en", "en-replies-4.jsonl", 0.9), ("sk", "sk-replies-4.jsonl", 0.85),
        ("en", "en-replies-5.jsonl", 0.9), ("sk", "sk-replies-5.jsonl", 0.9),
        ("en", "en-replies-6.jsonl", 0.9), ("sk", "sk-replies-6.jsonl", 0.9),
        ("en", "en-replies-7.jsonl", 0.9), ("sk", "sk-replies-7.jsonl", 0.9),
        ("en", "en-replies-8.jsonl", 0.45), ("sk", "sk-replies-8.jsonl", 0.7),
        ("en", "en-replies-9.jsonl", 0.7), ("sk", "sk-replies-9.jsonl", 0.8),
        ("en", "en-replies-10.jsonl", 0.55), ("sk", "sk-replies-10.jsonl", 0.55),
        ("en", "en-replies-11.jsonl", 0.9), ("sk", "sk-replies-11.jsonl", 0.9),
        ("en", "en-replies-12.jsonl", 0.75), ("sk", "sk-replies-12.jsonl", 0.8),
        ("en", "en-replies-13.jsonl", 0.7), ("sk", "sk-replies-13.jsonl", 0.8),
        ("en", "en-replies-14.jsonl", 0.7), ("sk", "sk-replies-14.jsonl", 0.8),
        ("en", "en-replies-15.jsonl", 0.9), ("sk", "sk-replies-15.jsonl", 0.9),
        ("en", "en-replies-16.jsonl", 0.8), ("sk", "sk-replies-16.jsonl", 0.8),
        ("en", "en-replies-17.jsonl", 0.85), ("sk", "sk-replies-17.jsonl", 0.85),
        ("en", "en-replies-18.jsonl", 0.9), ("sk", "sk-replies-18.jsonl", 0.75),
        ("en", "en-replies-19.jsonl", 0.95), ("sk", "sk-replies-19.jsonl", 0.95),
        ("en", "en-replies-20.jsonl", 0.9), ("sk", "sk-replies-20.jsonl", 0.85),
        ("en", "en-replies-21.jsonl", 0.85), ("sk", "sk-replies-21.jsonl", 0.85),
        ("en", "en-replies-22.jsonl", 0.85), ("sk", "sk-replies-22.jsonl", 0.9),
        ("en", "en-replies-23.jsonl", 0.85), ("sk", "sk-replies-23.jsonl", 0.85),
        ("en", "en-replies-24.jsonl", 0.8), ("sk", "sk-replies-24.jsonl", 0.85),
        ("en", "en-replies-25.jsonl", 0.8), ("sk", "sk-replies-25.jsonl", 0.9),
        ("en", "en-replies-26.jsonl", 0.95), ("sk", "sk-replies-26.jsonl", 0.95),
        ("en", "en-replies-27.jsonl", 0.95), ("sk", "sk-replies-27.jsonl", 0.95),
        ("en", "en-replies-28.jsonl", 0.9), ("sk", "sk-replies-28.jsonl", 0.9),
        ("en", "en-replies-29.jsonl", 0.85), ("sk", "sk-replies-29.jsonl", 0.85),
        ("en", "en-replies-30.jsonl", 0.85), ("sk", "sk-replies-30.jsonl", 0.75),
        ("en", "en-replies-31.jsonl", 0.95), ("sk", "sk-replies-31.jsonl", 0.95),
        ("en", "en-replies-32.jsonl", 0.95), ("sk", "sk-replies-32.jsonl", 0.9),
        ("en", "en-replies-33.jsonl", 0.95), ("sk", "sk-replies-33.jsonl", 0.95),
        ("en", "en-replies-34.jsonl", 0.85), ("sk", "sk-replies-34.jsonl", 0.85),
        ("en", "en-replies-35.jsonl", 0.95), ("sk", "sk-replies-35.jsonl", 0.95),
        ("en", "en-replies-36.jsonl", 0.95), ("sk", "sk-replies-36.jsonl", 0.95),
        ("en", "en-replies-37.jsonl", 0.95), ("sk", "sk-replies-37.jsonl", 0.95),
    ],
)
def test_fresh_replies_recall_and_clean(lang: str, name: str, floor: float) -> None:
    found = total = warned = 0
    for quality, text, spans in _replies(name):
        warnings = [f for f in CHECKER.check(text, lang=lang).findings if f.severity.value != "info"]
        if quality == "good":
            warned += bool(warnings)
        for a, b in spans:
            total += 1
            found += any(f.start < b and a < f.end for f in warnings)
    # one good reply of round 9 ("Just a friendly reminder … is still showing as open") is warned
    assert warned <= (1 if name == "en-replies-4.jsonl" else 0)
    assert total >= 40 and found / total >= floor  # every round has 40+ labelled phrases


# Elements on unseen replies: 40 per language written by two more writers who labelled the eight
# elements (and saw neither rules nor corpora). Measured before any change: English
# acknowledgement 95 %, contract_reference 92.5 %, solution 95 %, next_steps 95 %; Slovak 100 %,
# 100 %, 95 %, 97.5 %. Sarcastic thanks then stopped counting as an acknowledgement (English 100 %).
ELEMENT_FLOORS = {"acknowledgement": 0.95, "contract_reference": 0.9, "solution": 0.9, "next_steps": 0.9}


@pytest.mark.parametrize("lang", ["en", "sk"])
def test_fresh_replies_elements(lang: str) -> None:
    right: dict[str, int] = dict.fromkeys(ELEMENT_FLOORS, 0)
    records = [json.loads(line) for line in (FRESH / f"{lang}-elements.jsonl").read_text(encoding="utf-8").splitlines()]
    for record in records:
        found = CHECKER.check(_MARK.sub(lambda m: m.group(2), record["text"]), lang=lang).elements
        for element in ELEMENT_FLOORS:
            right[element] += (element in found) == record["elements"][element]
    assert len(records) == 40
    assert all(right[e] / len(records) >= floor for e, floor in ELEMENT_FLOORS.items()), right
