// Runs the extension's request code under Node (`node --test`), against a live invoicetone service
// when INVOICETONE_URL is set (pytest's tests/server/test_thunderbird.py starts one and sets it).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { applyFinding, checkDraft, codePointToIndex, decideSend, health, InvoicetoneError, splitReply, summarise } from "../lib/client.mjs";

const URL_ = process.env.INVOICETONE_URL;
const live = URL_ ? { ...{ serverUrl: URL_, token: process.env.INVOICETONE_TOKEN || "", timeoutMs: 20000, lang: "auto" } } : null;
const skipLive = live ? false : "set INVOICETONE_URL to a running `invoicetone serve` (pytest does this)";

describe("splitReply", () => {
  it("keeps the draft as a prefix and unquotes an English reply", () => {
    const body = "Hi Dana,\nthat's not our fault.\n\nOn Mon, 3 Jun 2024, Dana <d@example.com> wrote:\n> Why 40 hours?\n> We agreed 30.\n";
    const { draft, clientMessage } = splitReply(body);
    assert.equal(draft, "Hi Dana,\nthat's not our fault.");
    assert.ok(body.startsWith(draft));
    assert.equal(clientMessage, "Why 40 hours?\nWe agreed 30.");
  });
  it("recognises Slovak quote headers", () => {
    const body = "Dobrý deň,\nto nie je naša chyba.\n\nDňa 3. 6. 2024 o 10:00 Dana napísal(a):\n> Prečo 40 hodín?\n";
    assert.deepEqual(splitReply(body), { draft: "Dobrý deň,\nto nie je naša chyba.", clientMessage: "Prečo 40 hodín?" });
  });
  it("leaves a body without quotes alone", () => {
    assert.deepEqual(splitReply("Thanks, Dana.\n"), { draft: "Thanks, Dana.", clientMessage: null });
  });
});

describe("offsets and suggestions", () => {
  it("maps code points to UTF-16 indexes", () => {
    const text = "a😀b";
    assert.deepEqual([0, 1, 2, 3].map((i) => codePointToIndex(text, i)), [0, 1, 3, 4]);
  });
  it("applies a suggestion after an emoji", () => {
    const text = "😀 That's not our fault.";
    const finding = { rule_id: "x", start: 2, end: 22, suggestions: [{ replacement: "Let me check" }] };
    assert.equal(applyFinding(text, finding), "😀 Let me check.");
    assert.throws(() => applyFinding(text, finding, 3), InvoicetoneError);
  });
  it("decides when to stop the send", () => {
    const report = { findings: [{ severity: "warning" }, { severity: "info" }], missing: [] };
    assert.equal(decideSend(report, "error").cancel, false);
    assert.equal(decideSend(report, "warning").cancel, true);
    assert.equal(decideSend(report, "warning").blocking.length, 1);
    assert.equal(decideSend(report, "never").cancel, false);
  });
});

describe("against the live service", { skip: skipLive }, () => {
  it("answers /healthz", async () => {
    const answer = await health(live);
    assert.equal(answer.status, "ok");
  });
  it("checks a defensive draft with the quoted client message as context", async () => {
    const body = "Hi Dana 👋,\n\nThat's not our fault, you should have read the contract!!!\n\nOn Mon, Dana wrote:\n> Why 40 hours?\n";
    const { draft, clientMessage } = splitReply(body);
    const report = await checkDraft({ text: draft, clientMessage }, live);
    assert.equal(report.lang, "en");
    const finding = report.findings.find((f) => f.rule_id === "denial.not-our-fault");
    assert.ok(finding, JSON.stringify(report.findings));
    const start = codePointToIndex(draft, finding.start);
    const end = codePointToIndex(draft, finding.end);
    assert.equal(draft.slice(start, end), "That's not our fault");
    const fixed = applyFinding(draft, finding);
    const after = await checkDraft({ text: fixed, clientMessage }, live);
    assert.ok(after.score > report.score, `${after.score} should beat ${report.score}`);
    assert.ok(summarise(report).some((line) => line.includes("not our fault")));
    assert.equal(decideSend(report, "warning").cancel, true);
  });
  it("reports the server's error message", async () => {
    await assert.rejects(checkDraft({ text: "hi", lang: "de" }, live), (err) => {
      assert.ok(err instanceof InvoicetoneError);
      assert.equal(err.status, 400);
      assert.match(err.message, /lang/);
      return true;
    });
  });
  it("says clearly when the service is down", async () => {
    const down = { ...live, serverUrl: "http://127.0.0.1:9" };
    await assert.rejects(checkDraft({ text: "hi" }, down), /cannot be reached/);
  });
});
