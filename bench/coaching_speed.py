"""Coaching speed: a check with a client message and two pages of contract text (parsed once).

    .venv/bin/python bench/coaching_speed.py [--runs 300]

Prints the median and 95th percentile of one ``Checker.check`` (English and Slovak) without
context, with a client message, and with a client message plus a ``Contract`` parsed once from
about two pages of contract text; and the one-off cost of parsing that text. Target: <= 5 ms median.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time

import invoicetone

EN_CLAUSES = [
    "{n}. Services\n{n}.1 Scope. The Supplier will provide the services described in the Statement of Work, including design, development and testing of the deliverables listed there.\n{n}.2 Changes. Any change to the scope must be agreed in writing by both parties before work starts.",
    "{n}. Fees and payment\n{n}.1 Rates. The Client shall pay an hourly rate of €{rate} per hour for design work and €{rate2} per hour for development.\n{n}.2 Payment terms. Invoices are payable within thirty (30) days of the invoice date.\n{n}.3 All amounts are exclusive of VAT at 20%.",
    "{n}. Late payment\nOverdue amounts bear interest of 1.5% per month from the due date until paid in full. The Supplier may suspend the services after a written reminder.",
    "{n}. Confidentiality\nEach party shall keep confidential all information received from the other party and use it only for the purposes of this Agreement, for the term of this Agreement and three years after.",
    "{n}. Term and termination\nThis Agreement starts on 1 March 2026 and continues until terminated by either party with 60 days written notice. Fees for work delivered before termination remain payable.",
]
SK_CLAUSES = [
    "Článok {n}\nPredmet zmluvy\n(1) Zhotoviteľ sa zaväzuje vykonať pre objednávateľa dielo podľa špecifikácie v prílohe č. 1.\n(2) Zmeny rozsahu diela musia byť dohodnuté písomne.",
    "Článok {n}\nCena diela\n(1) Cena za hodinu práce je {rate},00 € za hodinu.\n(2) Celková cena diela je 1 250,00 € bez DPH.",
    "Článok {n}\nPlatobné podmienky\n(1) Objednávateľ uhradí faktúru na základe výkazu prác.\n(2) Splatnosť faktúry je 14 dní odo dňa jej doručenia.\n(3) V prípade omeškania s úhradou je zhotoviteľ oprávnený účtovať úrok z omeškania 0,05 % denne z dlžnej sumy.",
    "Článok {n}\nMlčanlivosť\nZmluvné strany sa zaväzujú zachovávať mlčanlivosť o všetkých informáciách, ktoré sa dozvedeli v súvislosti s plnením tejto zmluvy.",
    "Článok {n}\nTrvanie zmluvy\nZmluva sa uzatvára na dobu neurčitú. Každá zo zmluvných strán ju môže vypovedať s výpovednou lehotou 60 dní.",
]
DRAFT = {
    "en": (
        "Dear Ms Novak,\n\nThank you for raising this with us; I understand why invoice 1042 looks unclear. "
        "If I understand correctly, you feel the 42 hours billed for the landing page are more than the work took. "
        "I have attached the timesheet for invoice 1042, which lists each task and the hours logged against it. "
        "Under clause 2.2 of our agreement, payment is due within 30 days of the invoice date, and the work is billed "
        "at the agreed rate of €80 per hour. If any entry is wrong, we will correct the hours and send you a revised "
        "invoice. I will go through the timesheet with our team and reply to you by Friday. Could you tell me which "
        "entries you would like us to look at again?\n\nKind regards,\nSam"
    ),
    "sk": (
        "Dobrý deň, pani Nováková,\n\nďakujeme, že ste sa nám ozvali; chápem, že sa vám faktúra č. 1042 môže zdať "
        "nejasná. Ak tomu správne rozumiem, počet hodín na faktúre č. 1042 je podľa vás vyšší, ako práca trvala. "
        "V prílohe posielam výkaz prác k faktúre č. 1042 s jednotlivými úlohami a odpracovanými hodinami. Podľa čl. 3 "
        "ods. 2 našej zmluvy je faktúra splatná do 14 dní od jej vystavenia. Ak niektorá položka nesedí, hodiny "
        "opravíme a pošleme vám opravnú faktúru. Výkaz prác prejdem s kolegami a ozvem sa vám do piatka. Môžete mi, "
        "prosím, napísať, ktoré záznamy máme ešte raz preveriť?\n\nS pozdravom\nSamuel"
    ),
}
CLIENT = {
    "en": "Hello, you billed us 42 hours for the landing page on invoice 1042. Your designer told us it took two days. This seems far too much.",
    "sk": "Dobrý deň, na faktúre č. 1042 ste nám vyfakturovali 42 hodín za vstupnú stránku. Váš grafik hovoril o dvoch dňoch. To je príliš veľa.",
}


def contract_text(lang: str, words: int = 1000) -> str:
    clauses = EN_CLAUSES if lang == "en" else SK_CLAUSES
    parts: list[str] = []
    n = 1
    while sum(len(p.split()) for p in parts) < words:
        template = clauses[(n - 1) % len(clauses)]
        parts.append(template.format(n=n, rate=80, rate2=95))
        n += 1
    return "\n\n".join(parts)


def timed(func: object, runs: int) -> tuple[float, float, float]:
    """Median and p95 wall time, and median CPU time (steadier on a shared machine), in ms."""
    samples = []
    cpu = []
    for _ in range(runs):
        start = time.perf_counter()
        start_cpu = time.process_time()
        func()  # type: ignore[operator]
        cpu.append((time.process_time() - start_cpu) * 1000)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    checker = invoicetone.Checker()
    print(f"{'lang':4}  {'case':38} {'median ms':>9} {'p95 ms':>8} {'cpu ms':>7}")
    for lang in ("en", "sk"):
        text = contract_text(lang)
        start = time.perf_counter()
        contract = invoicetone.Contract.from_text(text + " ", lang=lang)  # a fresh parse (not the cache)
        parse_ms = (time.perf_counter() - start) * 1000
        draft, client = DRAFT[lang], CLIENT[lang]
        for _ in range(20):  # warm up pipelines, packs, caches
            checker.check(draft, lang=lang, client_message=client, contract=contract)
        cases = [
            ("draft only", functools.partial(checker.check, draft, lang=lang)),
            ("+ client message", functools.partial(checker.check, draft, lang=lang, client_message=client)),
            ("+ client message + Contract (2 pages)", functools.partial(checker.check, draft, lang=lang, client_message=client, contract=contract)),
        ]
        for name, func in cases:
            median, p95, cpu = timed(func, args.runs)
            print(f"{lang:4}  {name:38} {median:9.2f} {p95:8.2f} {cpu:7.2f}")
        print(f"{lang:4}  {'parse contract once':38} {parse_ms:9.2f}   ({len(text.split())} words, {len(contract.terms)} terms)")
        report = checker.check(draft, lang=lang, client_message=client, contract=contract)
        print(f"{lang:4}  sanity: score={report.score:.0f} missing={[m.id for m in report.missing]} findings={[f.rule_id for f in report.findings]}")


if __name__ == "__main__":
    main()
