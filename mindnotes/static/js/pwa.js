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
      if (signedIn && navigator.onLine && registration.active) {
        registration.active.postMessage("keep-new-entry-page");
      }
    })
    .catch(() => undefined); // without a service worker the site still works, online only

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.getAttribute("action") === script.dataset.logOut && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("forget");
    }
  });
})();
