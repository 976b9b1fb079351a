// The focus timer counts down in the page between heartbeats. The server's
// remaining time (data-remaining-seconds) is the truth: every swap of the timer
// restarts the count from the new figure, so nothing drifts for long.
(() => {
  const TIME_UP = "Time is up! How productive was it? Rate the session below.";

  function format(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const pad = (n) => String(n).padStart(2, "0");
    if (s >= 3600) {
      return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
    }
    return `${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
  }

  function startTimer(timer) {
    if (timer.dataset.focusStarted || timer.dataset.status !== "active") {
      return;
    }
    timer.dataset.focusStarted = "true";
    const remainingAtLoad = Number(timer.dataset.remainingSeconds);
    const loadedAt = performance.now();
    const clock = timer.querySelector("[data-focus-clock]");
    const state = timer.querySelector("[data-focus-state]");
    let announced = remainingAtLoad <= 0;
    const interval = window.setInterval(() => {
      if (!timer.isConnected) {
        window.clearInterval(interval);
        return;
      }
      const left = remainingAtLoad - (performance.now() - loadedAt) / 1000;
      clock.textContent = format(Math.ceil(left));
      if (left <= 0 && !announced) {
        announced = true;
        state.textContent = TIME_UP;
        timer.classList.add("focus-time-up");
        // Ask the server for the time-up view (with the rating form) at once.
        const heartbeat = timer.querySelector("[data-focus-heartbeat]");
        if (heartbeat) {
          heartbeat.dispatchEvent(new Event("focus-timeup"));
        }
      }
    }, 1000);
  }

  function startTimers(root) {
    root.querySelectorAll("[data-focus-timer]").forEach(startTimer);
    if (root.matches && root.matches("[data-focus-timer]")) {
      startTimer(root);
    }
  }

  document.addEventListener("DOMContentLoaded", () => startTimers(document));
  document.addEventListener("htmx:load", (event) => startTimers(event.detail.elt));

  // A refused change (409) or invalid input (422) in a focus region comes back
  // as that region with its message: show it instead of dropping it.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    const inFocusRegion = event.detail.elt.closest("[data-focus-timer], [data-focus-swap-errors]");
    if ((status === 409 || status === 422) && inFocusRegion) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
