// The compose-toolbar button: check the draft, show findings and suggestions, apply one on click.
import { applyFinding, checkDraft, loadSettings, splitReply } from "../lib/client.mjs";

const $ = (id) => document.getElementById(id);

async function currentTab() {
  const [tab] = await messenger.tabs.query({ active: true, currentWindow: true });
  return tab;
}

async function run() {
  const tab = await currentTab();
  const settings = await loadSettings(messenger.storage.local);
  const details = await messenger.compose.getComposeDetails(tab.id);
  const body = details.plainTextBody || "";
  const { draft, clientMessage } = splitReply(body);
  let report;
  try {
    report = await checkDraft({ text: draft, clientMessage }, settings);
  } catch (err) {
    $("status").textContent = err.message;
    $("status").className = "error";
    return;
  }
  $("score").textContent = `${Math.round(report.score)}/100`;
  $("status").textContent = report.findings.length ? "" : "No phrasing to change.";
  const list = $("findings");
  list.textContent = "";
  for (const finding of report.findings) {
    const box = document.createElement("div");
    box.className = `finding ${finding.severity}`;
    const quote = document.createElement("q");
    quote.textContent = finding.text;
    const message = document.createElement("div");
    message.textContent = finding.message;
    box.append(quote, message);
    finding.suggestions.forEach((suggestion, index) => {
      const button = document.createElement("button");
      button.textContent = suggestion.replacement || "(delete)";
      button.addEventListener("click", async () => {
        const fixed = applyFinding(draft, finding, index) + body.slice(draft.length);
        if (details.isPlainText) {
          await messenger.compose.setComposeDetails(tab.id, { plainTextBody: fixed });
        } else {
          // HTML message: replace the phrase where it appears exactly once, else leave it to the user.
          const html = details.body || "";
          if (html.split(finding.text).length !== 2) {
            $("status").textContent = "Edit this one by hand: the phrase is formatted or appears more than once.";
            return;
          }
          await messenger.compose.setComposeDetails(tab.id, { body: html.replace(finding.text, suggestion.replacement) });
        }
        run();
      });
      box.append(button);
    });
    list.append(box);
  }
  const missing = $("missing");
  missing.textContent = "";
  for (const item of report.missing) {
    const line = document.createElement("div");
    line.className = "missing";
    line.textContent = `Missing: ${item.message} Try: “${item.suggestion}”`;
    missing.append(line);
  }
}

run();
