"""Sample replies of about 120 words used by the benchmarks (a mix of calm and defensive drafts)."""

from __future__ import annotations

EN_REPLIES = [
    (
        "Hi Dana,\n\nThank you for getting back to us about invoice INV-2024-117. I understand the total looks "
        "higher than you expected. I have checked the timesheet against our agreement: clause 4.2 sets the rate at "
        "EUR 85 per hour and the March work log shows 14.5 hours, which is where the EUR 1,232.50 comes from. "
        "That said, two of those hours were spent on the login bug we introduced, so I will issue a credit note for "
        "EUR 170 by Friday. If you would prefer to split the remaining amount over two months, a payment plan is "
        "fine with us. Could you let me know which option suits you?\n\nBest regards,\nMarek"
    ),
    (
        "Hello Mr Novak,\n\nThat's not our fault. As I already explained in my last email, you should have read the "
        "contract before signing it, and any professional would understand that a deadline is a deadline. "
        "Our billing system simply works this way and there is nothing we can do. You ALWAYS pay late, and "
        "frankly this is the third time I have had to remind you. If the full EUR 2,400 is not paid by Monday we "
        "will pass the invoice to a debt collection agency and suspend your account!!! Did you even open the "
        "attachment? It is a mere 40 euros of interest anyway, so I do not see why this is such a big deal."
    ),
    (
        "Dear Ana,\n\nThanks for flagging the duplicate charge on your card. You are right: invoice 5521 was billed "
        "twice on 3 May because of a payment gateway retry. Through no fault of your own, the second charge went "
        "through. I have already asked our bank to refund EUR 310.00 and you should see it within five working "
        "days. Per clause 7 of our terms of service, refunds go back to the original card. I will confirm by email "
        "once the refund is processed, and I have attached the final invoice for your records. Please reply if "
        "anything still looks off and we will look at it again together.\n\nKind regards,\nSupport team"
    ),
]

SK_REPLIES = [
    (
        "Dobrý deň, pani Nováková,\n\nďakujeme, že ste sa podelili o svoje obavy k faktúre FA2026-0042. Chápem, "
        "že sa vám suma môže zdať vysoká. Preverili sme výkaz prác a podľa článku 4.2 zmluvy účtujeme 85 € za "
        "hodinu; v marci sme odpracovali 14,5 hodiny, z čoho vychádza 1 232,50 €. Dve z týchto hodín sme však "
        "strávili opravou chyby na našej strane, preto vám do piatku pošleme dobropis na 170 €. Ak by vám viac "
        "vyhovovalo rozložiť zvyšok do dvoch splátok, splátkový kalendár nie je problém. Dajte nám, prosím, vedieť, "
        "ktorá možnosť vám vyhovuje.\n\nS pozdravom\nMarek"
    ),
    (
        "Dobrý deň,\n\nto nie je naša chyba. Ako som už písal v poslednom e-maile, mali ste si prečítať zmluvu "
        "predtým, ako ste ju podpísali. Takto jednoducho funguje naša fakturácia a pravidlá sú pravidlá, nič s tým "
        "nenarobíme. Vy vždy platíte neskoro a už po tretíkrát vám to musím pripomínať. Ak do pondelka neuhradíte "
        "celých 2 400 €, odovzdáme to na vymáhanie a podáme žalobu!!! Otvorili ste vôbec prílohu? Ide len o "
        "smiešnych 40 eur úrokov, takže naozaj nechápem, prečo z toho robíte takú vedu. Dúfam, že je to "
        "konečne jasné a viac sa k tomu nebudeme vracať."
    ),
    (
        "Dobry den, pani Horvathova,\n\ndakujeme za upozornenie na dvojitu platbu. Mate pravdu: faktura 5521 bola "
        "3. 5. strhnuta dvakrat pre opakovanie platby v platobnej brane. Nie je to vasa chyba. Uz sme poziadali "
        "banku o vratenie 310,00 € a peniaze by ste mali mat na ucte do piatich pracovnych dni. Podla bodu 7 "
        "obchodnych podmienok sa platby vracaju na povodnu kartu. Ked bude vratenie spracovane, potvrdime vam to "
        "e-mailom a v prilohe posielame konecnu fakturu. Ak by vam este nieco nesedelo, napiste nam a pozrieme "
        "sa na to spolu.\n\nS pozdravom\nTim podpory"
    ),
]
