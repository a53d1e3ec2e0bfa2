// invoicetone request code for the Thunderbird extension.
// Pure ES module: no browser or Thunderbird globals, so it runs (and is tested) under Node too.

export const DEFAULTS = Object.freeze({
  serverUrl: "http://127.0.0.1:8081",
  token: "",
  blockOn: "error", // "error" | "warning" | "never": which findings stop the send
  lang: "auto",
  timeoutMs: 8000,
});

const RANK = { info: 0, warning: 1, error: 2 };

export class InvoicetoneError extends Error {
  constructor(message, { status = 0, code = "" } = {}) {
    super(message);
    this.name = "InvoicetoneError";
    this.status = status;
    this.code = code;
  }
}

// Lines that open the quoted original in a reply, in English and Slovak mail clients.
const QUOTE_HEADERS = [
  /^On .{3,200}wrote:\s*$/,
  /^D[ňn]a .{3,200}nap[íi]sal(?:\(a\)|a)?:\s*$/,
  /^-{2,}\s*(Original Message|Pôvodná správa|Pôvodná zpráva)\s*-{2,}\s*$/i,
  /^From: .+$/,
];

/**
 * Split a reply body into the draft (what the user wrote, a prefix of the body, so offsets into
 * the draft are offsets into the body) and the quoted client message (">" removed).
 */
export function splitReply(body) {
  const lines = body.split("\n");
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    const isHeader = QUOTE_HEADERS.some((re) => re.test(line.trim()));
    const isQuote = line.startsWith(">");
    if (isHeader || isQuote) {
      const quoted = lines
        .slice(isHeader ? i + 1 : i)
        .filter((l) => l.startsWith(">"))
        .map((l) => l.replace(/^>+ ?/, "").replace(/\r$/, ""))
        .join("\n")
        .trim();
      return { draft: body.slice(0, offset).replace(/\s+$/, ""), clientMessage: quoted || null };
    }
    offset += lines[i].length + 1;
  }
  return { draft: body.replace(/\s+$/, ""), clientMessage: null };
}

function endpoint(settings, path) {
  let base;
  try {
    base = new URL(settings.serverUrl || DEFAULTS.serverUrl);
  } catch {
    throw new InvoicetoneError(`the server URL ${JSON.stringify(settings.serverUrl)} is not a URL; fix it in the add-on's options`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new InvoicetoneError(`the server URL must start with http:// or https://, not ${base.protocol}`);
  }
  return new URL(path, base.href.endsWith("/") ? base.href : base.href + "/").href;
}

async function request(settings, path, body, fetchImpl = globalThis.fetch) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (settings.token) headers.Authorization = `Bearer ${settings.token}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), settings.timeoutMs ?? DEFAULTS.timeoutMs);
  let response;
  try {
    response = await fetchImpl(endpoint(settings, path), {
      method: body === undefined ? "GET" : "POST",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
    });
  } catch (err) {
    if (err instanceof InvoicetoneError) throw err;
    const why = err && err.name === "AbortError" ? "did not answer in time" : "cannot be reached";
    throw new InvoicetoneError(`the invoicetone service at ${settings.serverUrl} ${why}; is \`invoicetone serve\` running?`);
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = data && data.error ? data.error : { code: "http_" + response.status, message: response.statusText };
    const hint = response.status === 401 ? " (set the token in the add-on's options)" : "";
    throw new InvoicetoneError(`${error.message}${hint}`, { status: response.status, code: error.code });
  }
  return data;
}

/** Check a draft; returns the invoicetone report (offsets are code points of `text`). */
export async function checkDraft({ text, clientMessage = null, lang = null }, settings = DEFAULTS, fetchImpl) {
  const body = { text };
  if (clientMessage) body.client_message = clientMessage;
  const chosen = lang || settings.lang;
  if (chosen && chosen !== "auto") body.lang = chosen;
  return request(settings, "v1/check", body, fetchImpl);
}

/** Is the service up? Returns the /healthz answer. */
export async function health(settings = DEFAULTS, fetchImpl) {
  return request(settings, "healthz", undefined, fetchImpl);
}

/** Should the send be stopped? `blockOn` is "error", "warning" or "never". */
export function decideSend(report, blockOn = DEFAULTS.blockOn) {
  if (blockOn === "never") return { cancel: false, blocking: [] };
  const threshold = RANK[blockOn] ?? RANK.error;
  const blocking = report.findings.filter((f) => (RANK[f.severity] ?? 0) >= threshold);
  return { cancel: blocking.length > 0, blocking };
}

/** Code-point offset → UTF-16 index (JavaScript strings), for text containing emoji. */
export function codePointToIndex(text, offset) {
  let index = 0;
  let points = 0;
  for (const ch of text) {
    if (points === offset) return index;
    index += ch.length;
    points += 1;
  }
  return index;
}

/** `text` with suggestion `index` of `finding` in place of its span. */
export function applyFinding(text, finding, index = 0) {
  const suggestion = finding.suggestions[index];
  if (!suggestion) throw new InvoicetoneError(`${finding.rule_id} has no suggestion #${index}`);
  const start = codePointToIndex(text, finding.start);
  const end = codePointToIndex(text, finding.end);
  return text.slice(0, start) + suggestion.replacement + text.slice(end);
}

/** One line per finding, for a notification or a log. */
export function summarise(report) {
  const lines = report.findings.map((f) => {
    const best = f.suggestions.length ? ` → "${f.suggestions[0].replacement}"` : "";
    return `${f.severity}: "${f.text}" — ${f.message}${best}`;
  });
  for (const m of report.missing) lines.push(`missing: ${m.message}`);
  return lines;
}

export async function loadSettings(storage) {
  const stored = await storage.get(Object.keys(DEFAULTS));
  return { ...DEFAULTS, ...stored };
}
