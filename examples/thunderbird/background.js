// Checks the draft when the user presses Send, and can stop the send when there are findings at or
// above the level chosen in the options (errors by default).
import { checkDraft, decideSend, loadSettings, splitReply, summarise } from "./lib/client.mjs";

async function draftOf(tabId) {
  const details = await messenger.compose.getComposeDetails(tabId);
  const body = details.isPlainText ? details.plainTextBody : (details.plainTextBody || "");
  return splitReply(body || "");
}

messenger.compose.onBeforeSend.addListener(async (tab) => {
  const settings = await loadSettings(messenger.storage.local);
  if (settings.blockOn === "never") return {};
  let report;
  try {
    const { draft, clientMessage } = await draftOf(tab.id);
    if (!draft.trim()) return {};
    report = await checkDraft({ text: draft, clientMessage }, settings);
  } catch (err) {
    // A checker that is down must not stop mail: say so and let the message go.
    await messenger.notifications.create({ type: "basic", title: "invoicetone", message: `Not checked: ${err.message}` });
    return {};
  }
  const decision = decideSend(report, settings.blockOn);
  if (!decision.cancel) return {};
  const lines = summarise({ findings: decision.blocking, missing: [] });
  await messenger.notifications.create({
    type: "basic",
    title: `invoicetone stopped the send (score ${Math.round(report.score)})`,
    message: lines.slice(0, 3).join("\n") + "\nOpen the invoicetone button to fix, or change the level in its options.",
  });
  return { cancel: true };
});
