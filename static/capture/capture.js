// Quick capture that works offline. A capture is kept in IndexedDB first, with an id made here,
// then sent to the portal; it leaves the device only once the portal has answered that it has
// it, and the id means a capture sent twice (an answer lost on a bad connection) is one draft.
// Without IndexedDB or crypto.randomUUID the form simply posts as a normal page.

const form = document.getElementById("quick-capture");
const section = document.getElementById("capture-sync");
const statusLine = document.getElementById("capture-status");
const waitingList = document.getElementById("capture-waiting");
const sentList = document.getElementById("capture-sent");
const { syncUrl, loginUrl, serviceWorker, account } = form.dataset;
const FIELDS = ["title", "url", "activity_type", "occurred_on", "duration", "note"];
const DB_NAME = "cpd-quick-capture";
const STORE = "captures";

// --- IndexedDB, as promises -------------------------------------------------------------
function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () =>
      request.result.createObjectStore(STORE, { keyPath: "client_id" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Resolves when the transaction has committed, so a capture is on disk before we say so.
async function inStore(mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = action(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error);
  });
}

const keep = (capture) => inStore("readwrite", (store) => store.put(capture));
const forget = (clientId) => inStore("readwrite", (store) => store.delete(clientId));

// Only this account's captures: another account's wait for it to log in on this device.
async function waitingCaptures() {
  const all = await inStore("readonly", (store) => store.getAll());
  return all
    .filter((capture) => capture.account === account)
    .sort((a, b) => a.created.localeCompare(b.created));
}

// --- Sending ------------------------------------------------------------------------------
// Read at each send, not from the page: a page kept for offline use can carry a stale token.
function csrfToken() {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
}

async function send(capture) {
  const response = await fetch(syncUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      "X-CSRFToken": csrfToken(),
    },
    body: JSON.stringify({
      ...capture.fields,
      client_id: capture.client_id,
      account: Number(account),
    }),
  });
  const body = await response.json().catch(() => ({}));
  return { status: response.status, body };
}

// What stopped the last attempt: "offline", "login", "server", or "" when nothing did.
async function sendWaiting() {
  let stopped = "";
  for (const capture of await waitingCaptures()) {
    let answer;
    try {
      answer = await send(capture);
    } catch {
      stopped = "offline";
      break;
    }
    if (answer.status === 200 || answer.status === 201) {
      await forget(capture.client_id);
      showSent(answer.body);
    } else if (answer.status === 401 || answer.status === 403) {
      stopped = "login";
      break;
    } else if (answer.status >= 400 && answer.status < 500 && answer.status !== 429) {
      const refusal = answer.body.error || "The portal refused this capture.";
      capture.errors = answer.body.errors || { "": [refusal] };
      await keep(capture);
    } else {
      stopped = "server";
      break;
    }
  }
  await render(stopped);
}

// One pass at a time, each after the one before: a capture made while a pass runs is sent
// by the next.
let passes = Promise.resolve();
function syncNow() {
  passes = passes.then(sendWaiting, sendWaiting);
  return passes;
}

// --- Showing ------------------------------------------------------------------------------
function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  Object.assign(node, attributes);
  return node;
}

function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

function statusText(stopped, count) {
  if (!count) return "Nothing is waiting on this device.";
  const waiting = plural(count, "capture", "captures");
  if (stopped === "offline") {
    return `Saved on this device: it will be sent when you are back online (${count} waiting).`;
  }
  if (stopped === "login") return `Log in to send your ${waiting} saved on this device.`;
  if (stopped === "server") {
    return (
      "The portal could not take your captures just now: they are kept here and sent " +
      `next time (${count} waiting).`
    );
  }
  return `${waiting} need${count === 1 ? "s" : ""} changes before it can be sent.`;
}

async function render(stopped) {
  const waiting = await waitingCaptures();
  statusLine.replaceChildren(statusText(stopped, waiting.length));
  if (stopped === "login" && waiting.length) {
    statusLine.append(" ", element("a", "Log in", { href: loginUrl }));
  }
  waitingList.replaceChildren(...waiting.map(waitingItem));
}

// A link captured alone has no title until the portal fetches its page's: show the link.
const captureName = (fields) => fields.title || fields.url || "no title";

function waitingItem(capture) {
  const item = element("li", captureName(capture.fields));
  const when = capture.fields.occurred_on || "no date";
  item.append(" ", element("span", `(${when}, waiting)`, { className: "muted" }));
  const errors = Object.entries(capture.errors || {});
  if (errors.length) {
    const list = element("ul", "", { className: "errorlist" });
    for (const [field, messages] of errors) {
      const label = form.querySelector(`label[for="id_${field}"]`);
      for (const message of messages) {
        const name = label ? label.textContent.trim().replace(/:$/, "") : "";
        list.append(element("li", name ? `${name}: ${message}` : message));
      }
    }
    const edit = element("button", "Correct it", { type: "button", className: "secondary" });
    edit.setAttribute("aria-label", `Correct it: “${captureName(capture.fields)}”`);
    edit.addEventListener("click", () => putBack(capture));
    item.append(list, edit);
  }
  return item;
}

function showSent(answer) {
  const item = element("li", `Sent “${answer.title}” as a draft. `);
  const reflect = element("a", "Add your reflection", { href: answer.reflect_url });
  item.append(reflect, " now, or later from your dashboard.");
  sentList.prepend(item);
}

// A refused capture goes back into the form to be corrected and saved again.
async function putBack(capture) {
  for (const name of FIELDS) form.elements[name].value = capture.fields[name] || "";
  await forget(capture.client_id);
  await render("");
  form.elements.title.focus();
}

// Shared from the phone's Share menu with no connection: the service worker answered the
// shared link with this page, so the link fills the quick form instead of the capture card.
function fillFromSharedLink() {
  const shared = new URLSearchParams(location.search);
  const text = shared.get("text") || "";
  const link = shared.get("url") || (text.match(/https?:\/\/\S+/i) || [""])[0];
  // As capture.quick_capture.initial_from_shared_link reads it: a title that is only the link
  // again is no title, and what joins a title to its link in the text is no part of it.
  let title = (shared.get("title") || "").trim();
  if (!title || /^https?:\/\/\S+$/i.test(title)) {
    title = text.replace(/https?:\/\/\S+/gi, " ").replace(/^[\s\-–—|:·•>»]+|[\s\-–—|:·•>»]+$/g, "");
  }
  if (link) form.elements.url.value = link;
  if (title) form.elements.title.value = title.replace(/\s+/g, " ").slice(0, 200);
}

function today() {
  const now = new Date();
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

// --- The bookmarklet ----------------------------------------------------------------------
// It is for dragging to the bookmarks bar, to run on other sites' pages. Clicked here, its
// javascript: address would only be refused by the portal's Content-Security-Policy: say
// what to do with it instead.
document.querySelector(".bookmarklet").addEventListener("click", (event) => {
  event.preventDefault();
  document.getElementById("bookmarklet-hint").textContent =
    "Drag this button to your bookmarks bar, then click the bookmark on a page you want to log.";
});

// --- Wiring -------------------------------------------------------------------------------
async function capture(event) {
  event.preventDefault();
  const fields = Object.fromEntries(FIELDS.map((name) => [name, form.elements[name].value.trim()]));
  const created = new Date().toISOString();
  await keep({ client_id: crypto.randomUUID(), created, account, fields });
  form.reset();
  // The page may have been kept offline since another day.
  form.elements.occurred_on.value = today();
  form.elements.title.focus();
  await syncNow();
}

if ("indexedDB" in window && "randomUUID" in crypto) {
  form.elements.occurred_on.value ||= today();
  fillFromSharedLink();
  section.hidden = false;
  form.addEventListener("submit", capture);
  window.addEventListener("online", syncNow);
  syncNow();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(serviceWorker, { scope: "/" });
  }
}
