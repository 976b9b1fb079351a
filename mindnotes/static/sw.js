// MindNotes' service worker, served at /sw.js (blueprints/pwa.py) with the shell's settings
// in front: self.MINDNOTES_SHELL = {version, files, offlinePage, newEntryPage}.
//
// - Static files and the offline page: cached at install under a name carrying the version
//   (a hash of every static file), served from there first; older versions are dropped.
// - The new-entry page: from the network, and kept (for this session only) so that it opens
//   offline; signed-in pages ask for it to be kept, and a copy under an hour old is not fetched
//   again (offline.js dates an entry when it is written, not by the copy). No other page is
//   cached: they are private and fetched fresh.
// - Writes (POST) are never touched: offline.js keeps what is written offline in IndexedDB.
// Logging out clears it all (Clear-Site-Data on the logout answer, and a "forget" message).
const SHELL = self.MINDNOTES_SHELL;
const SHELL_CACHE = `mindnotes-shell-${SHELL.version}`;
const PAGE_CACHE = `mindnotes-pages-${SHELL.version}`;
const KEPT_PAGE_FRESH_MS = 60 * 60 * 1000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll([...SHELL.files, SHELL.offlinePage]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((name) => name !== SHELL_CACHE && name !== PAGE_CACHE).map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// The new-entry page as this person sees it now; a redirect (to the login page) is not kept.
async function keepNewEntryPage(response) {
  if (response.ok && !response.redirected) {
    const cache = await caches.open(PAGE_CACHE);
    await cache.put(SHELL.newEntryPage, response.clone());
  }
  return response;
}

// Whether the kept new-entry page was fetched within the hour, by its Date header (a server clock a
// little ahead is within it too); without a kept page or a Date header it is fetched again.
async function keptRecently() {
  const kept = await caches.match(SHELL.newEntryPage, { cacheName: PAGE_CACHE, ignoreVary: true });
  const fetchedAt = kept ? Date.parse(kept.headers.get("Date") || "") : NaN;
  return Math.abs(Date.now() - fetchedAt) < KEPT_PAGE_FRESH_MS;
}

async function newEntryPage(request) {
  try {
    return await keepNewEntryPage(await fetch(request));
  } catch (error) {
    const kept = await caches.match(SHELL.newEntryPage, { cacheName: PAGE_CACHE, ignoreVary: true });
    return kept || caches.match(SHELL.offlinePage, { cacheName: SHELL_CACHE });
  }
}

async function page(request) {
  try {
    return await fetch(request);
  } catch (error) {
    return caches.match(SHELL.offlinePage, { cacheName: SHELL_CACHE });
  }
}

async function staticFile(request) {
  const kept = await caches.match(request, { cacheName: SHELL_CACHE });
  return kept || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname === SHELL.newEntryPage && event.request.mode === "navigate") {
    event.respondWith(newEntryPage(event.request));
  } else if (event.request.mode === "navigate") {
    event.respondWith(page(event.request));
  } else if (SHELL.files.includes(url.pathname)) {
    event.respondWith(staticFile(event.request));
  }
});

self.addEventListener("message", (event) => {
  if (event.data === "keep-new-entry-page") {
    // Offline or signed out, nothing is kept; the page is fetched again on the next visit.
    event.waitUntil(
      keptRecently()
        .then((fresh) => fresh || fetch(SHELL.newEntryPage, { credentials: "same-origin" }).then(keepNewEntryPage))
        .catch(() => undefined),
    );
  } else if (event.data === "forget-pages") {
    event.waitUntil(caches.delete(PAGE_CACHE));
  } else if (event.data === "forget") {
    event.waitUntil(caches.keys().then((names) => Promise.all(names.map((name) => caches.delete(name)))));
  }
});

// A reminder (services/reminders/sending.py): {title, body, url, pause_url, tag}.
self.addEventListener("push", (event) => {
  const message = event.data ? event.data.json() : { title: "MindNotes", body: "", url: "/" };
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      tag: message.tag,
      icon: "/static/icons/icon-192.png",
      badge: "/static/icons/icon-96.png",
      data: message,
      actions: message.pause_url ? [{ action: "pause", title: "Pause reminders" }] : [],
    }),
  );
});

// "Pause reminders" on a reminder pauses them in one click (the signed link takes a plain POST).
async function pauseReminders(pauseUrl) {
  const answer = await fetch(pauseUrl, {
    method: "POST",
    body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }),
    credentials: "omit",
  });
  const title = answer.ok ? "Reminders paused" : "Reminders not paused";
  const body = answer.ok ? "Turn them on again under Account → Reminders." : "Open MindNotes to pause them.";
  return self.registration.showNotification(title, { body, icon: "/static/icons/icon-192.png" });
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  if (event.action === "pause" && data.pause_url) {
    event.waitUntil(pauseReminders(data.pause_url).catch(() => self.clients.openWindow(data.pause_url)));
    return;
  }
  const target = data.url || "/";
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then((windows) => {
      const open = windows.find((client) => new URL(client.url).pathname === target);
      return open ? open.focus() : self.clients.openWindow(target);
    }),
  );
});
