// The installable app: registers the service worker (static/sw.js, served at /sw.js), lets it
// keep the new-entry page for writing offline while signed in, and makes it forget everything
// it kept when the person logs out (the logout answer also carries Clear-Site-Data).
(() => {
  const script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) {
    return;
  }
  const signedIn = script.dataset.signedIn === "yes";
  navigator.serviceWorker
    .register(script.dataset.serviceWorker, { scope: "/" })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      if (registration.active && navigator.onLine) {
        // Signed out (a session that ended without logging out too): the kept page goes.
        registration.active.postMessage(signedIn ? "keep-new-entry-page" : "forget-pages");
      }
    })
    .catch(() => undefined); // without a service worker the site still works, online only

  // Reminders as notifications: the account page's button subscribes this browser to push.
  function keyBytes(base64url) {
    const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(text, (char) => char.charCodeAt(0));
  }

  async function allowNotifications(button) {
    const status = button.parentElement.querySelector("[data-push-status]");
    if ((await Notification.requestPermission()) !== "granted") {
      status.textContent = "Notifications are blocked for this site in your browser's settings.";
      return;
    }
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(button.dataset.pushKey),
    });
    const keys = subscription.toJSON().keys;
    const body = new URLSearchParams({ endpoint: subscription.endpoint, p256dh: keys.p256dh, auth: keys.auth });
    const token = document.querySelector('meta[name="csrf-token"]');
    const answer = await fetch(button.dataset.pushSubscribe, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.content : "" },
    });
    status.textContent = answer.ok ? "Notifications are on for this device." : await answer.text();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const button = document.querySelector("[data-push-subscribe]");
    if (button && "PushManager" in window && "Notification" in window) {
      button.hidden = false;
      button.addEventListener("click", () =>
        allowNotifications(button).catch(() => {
          button.parentElement.querySelector("[data-push-status]").textContent =
            "This browser could not turn on notifications.";
        }),
      );
    }
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.getAttribute("action") === script.dataset.logOut && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("forget");
    }
  });
})();
