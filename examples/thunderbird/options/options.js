import { DEFAULTS, health, loadSettings } from "../lib/client.mjs";

const FIELDS = ["serverUrl", "token", "blockOn", "lang"];
const $ = (id) => document.getElementById(id);

async function show() {
  const settings = await loadSettings(messenger.storage.local);
  for (const name of FIELDS) $(name).value = settings[name] ?? DEFAULTS[name];
}

function read() {
  const values = {};
  for (const name of FIELDS) values[name] = $(name).value.trim();
  return values;
}

async function allowHost(url) {
  // Loopback is allowed by the manifest; any other server needs the user's consent.
  const { hostname, protocol } = new URL(url);
  if (hostname === "127.0.0.1" || hostname === "localhost") return true;
  return messenger.permissions.request({ origins: [`${protocol}//${hostname}/*`] });
}

$("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const values = read();
  if (!(await allowHost(values.serverUrl))) {
    $("result").textContent = "Thunderbird did not grant access to that server.";
    return;
  }
  await messenger.storage.local.set(values);
  $("result").textContent = "Saved.";
});

$("test").addEventListener("click", async () => {
  try {
    const answer = await health({ ...DEFAULTS, ...read() });
    $("result").textContent = `Connected: invoicetone ${answer.version}, languages ${answer.languages.join(", ")}.`;
  } catch (err) {
    $("result").textContent = err.message;
  }
});

show();
