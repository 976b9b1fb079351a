// Writing offline. The new-entry form (marked `data-offline-entry`) opens offline from the
// service worker's copy; pressing "Save entry" without a connection keeps the entry in this
// browser (IndexedDB) instead of sending it. When the connection returns (on any page) each
// kept entry goes through the normal create path (a plain form POST) with its own pre-made
// entry id, so sending it twice still saves it once; it leaves the device only once saved.
(() => {
  const script = document.currentScript;
  const DATABASE = "mindnotes-offline";
  const STORE = "entries";

  function openDatabase() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function inStore(mode, work) {
    const database = await openDatabase();
    return new Promise((resolve, reject) => {
      const transaction = database.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => {
        database.close();
        resolve(request.result);
      };
      transaction.onerror = () => reject(transaction.error);
    });
  }

  // Only the signed-in person's: entries someone else kept here (whose session ended without
  // logging out) are never sent into this person's journal.
  const keptEntries = () =>
    inStore("readonly", (store) => store.getAll()).then((all) =>
      all.filter((entry) => entry.person === script.dataset.person),
    );
  const keep = (entry) => inStore("readwrite", (store) => store.put(entry));
  const forget = (id) => inStore("readwrite", (store) => store.delete(id));

  // An ObjectId as the server makes them: 4 bytes of seconds, then 8 random bytes.
  function newEntryId() {
    const seconds = Math.floor(Date.now() / 1000).toString(16).padStart(8, "0");
    const random = [...crypto.getRandomValues(new Uint8Array(8))];
    return seconds + random.map((byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  function localNow() {
    const now = new Date();
    now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
    return now.toISOString().slice(0, 16);
  }

  function say(message) {
    let status = document.querySelector("[data-offline-status]");
    if (!status) {
      status = document.createElement("p");
      status.className = "flash flash-info";
      status.setAttribute("role", "status");
      status.dataset.offlineStatus = "";
      const main = document.querySelector("main") || document.body;
      main.prepend(status);
    }
    status.textContent = message;
  }

  const entries = (count) => (count === 1 ? "1 entry" : `${count} entries`);

  // The editor's fields as a plain form would send them, under a new entry id; the form
  // token is fetched fresh when the entry is sent.
  async function keepForLater(form) {
    const date = form.elements.entry_date;
    if (date && date.value === date.defaultValue) {
      date.value = localNow(); // the page may be a copy made hours ago
    }
    const id = newEntryId();
    const all = [...new FormData(form)];
    const fields = all
      .filter(([name, value]) => name !== "csrf_token" && typeof value === "string")
      .map(([name, value]) => [name, name === "entry_id" ? id : value]);
    const leftFiles = all.some(([, value]) => value instanceof File && value.size > 0);
    await keep({ id, person: script.dataset.person, action: form.action, fields, kept_at: new Date().toISOString() });
    form.reset();
    const count = (await keptEntries()).length;
    const files = leftFiles ? " Photos and voice notes are not kept offline: add them to the entry once it is saved." : "";
    say(`Saved on this device, will sync when you are back online (${entries(count)} waiting).${files}`);
  }

  function refusal(html) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const problem = page.querySelector(".field-error, .flash-error");
    return problem ? problem.textContent.trim() : "the server did not accept it";
  }

  async function sendKeptEntries() {
    const all = await keptEntries();
    const kept = all.filter((entry) => !entry.problem); // refused ones wait to be corrected
    if (kept.length === 0 || !navigator.onLine) {
      if (all.length && !document.querySelector("form[data-offline-entry]")) {
        say(`${entries(all.length)} written offline could not be saved: open New entry to correct it.`);
      }
      return;
    }
    say(`Syncing ${entries(kept.length)} written on this device…`);
    const answer = await fetch(script.dataset.formToken, { credentials: "same-origin", cache: "no-store" });
    if (!answer.ok) {
      say(`Log in to save the ${entries(kept.length)} written on this device.`);
      return;
    }
    const token = await answer.text();
    let saved = 0;
    const problems = [];
    for (const entry of kept) {
      const body = new URLSearchParams(entry.fields);
      body.set("csrf_token", token);
      const response = await fetch(entry.action, { method: "POST", body, credentials: "same-origin" });
      // The create path answers with the saved entry's page, also when it was saved before.
      if (response.ok && new URL(response.url).pathname.endsWith(`/${entry.id}`)) {
        await forget(entry.id);
        saved += 1;
      } else if (response.status >= 500) {
        break; // the server is in trouble: try again when the page is next opened online
      } else {
        const problem = refusal(await response.text());
        problems.push(problem);
        await keep({ ...entry, problem });
      }
    }
    if (problems.length) {
      say(
        `Saved ${entries(saved)}. Not saved, kept on this device: ${problems.join("; ")}. ` +
          "Open New entry to correct it.",
      );
    } else if (saved === kept.length) {
      say(`Saved: ${entries(saved)} written offline ${saved === 1 ? "is" : "are"} in your journal.`);
    } else {
      say(`Saved ${entries(saved)}; the rest will sync when the server answers again.`);
    }
  }

  function sendWhenFree() {
    const send = () => sendKeptEntries().catch(() => undefined); // still offline: try on the next "online"
    if (navigator.locks) {
      return navigator.locks.request("mindnotes-offline-sync", { ifAvailable: true }, (lock) => (lock ? send() : null));
    }
    return send();
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    const plainSave = !event.submitter || !event.submitter.hasAttribute("formaction");
    const signedIn = Boolean(script.dataset.person);
    if (!form.hasAttribute("data-offline-entry") || !plainSave || !signedIn || !window.indexedDB) {
      return;
    }
    if (navigator.onLine) {
      forgetReopened(form);
      return;
    }
    event.preventDefault();
    keepForLater(form).catch(() => say("This browser could not keep the entry; copy your text somewhere safe."));
  });

  // An entry the server refused (a date in the future, too long…) goes back into the editor with
  // its reason, under its own id, for the person to correct and save; it leaves the device then.
  async function reopenRefused(form) {
    const refused = (await keptEntries()).find((entry) => entry.problem);
    if (!refused) {
      return;
    }
    const values = new Map();
    refused.fields.forEach(([name, value]) => values.set(name, [...(values.get(name) || []), value]));
    for (const field of form.elements) {
      if (!field.name || field.name === "csrf_token" || field.type === "file") {
        continue;
      }
      const kept = values.get(field.name) || [];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = kept.includes(field.value);
      } else if (kept.length) {
        field.value = kept[0];
      }
    }
    // The field at fault may sit in a closed disclosure: show every one that holds fields.
    form.querySelectorAll("details").forEach((box) => {
      box.open = box.open || Boolean(box.querySelector("input, select, textarea"));
    });
    say(`This entry, written offline, was not saved: ${refused.problem}. Correct it and save it again.`);
  }

  // Saved from the editor (online), a reopened entry leaves the device: the page answers from now on.
  function forgetReopened(form) {
    const id = form.elements.entry_id && form.elements.entry_id.value;
    if (id) {
      forget(id).catch(() => undefined);
    }
  }

  window.addEventListener("online", sendWhenFree);
  document.addEventListener("DOMContentLoaded", () => {
    if (!window.indexedDB || !script.dataset.person) {
      return;
    }
    const editor = document.querySelector("form[data-offline-entry]");
    if (navigator.onLine) {
      sendWhenFree().then(() => editor && reopenRefused(editor).catch(() => undefined));
    } else {
      keptEntries().then((kept) => {
        if (kept.length) {
          say(`${entries(kept.length)} saved on this device, will sync when you are back online.`);
        }
      });
    }
  });
})();
