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
    offerNotification(timer);
    const tick = () => {
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
        signalTimeUp(timer);
        // Ask the server for the time-up view (with the rating form) at once.
        const heartbeat = timer.querySelector("[data-focus-heartbeat]");
        if (heartbeat) {
          heartbeat.dispatchEvent(new Event("focus-timeup"));
        }
      }
    };
    const interval = window.setInterval(tick, 1000);
    // A background tab runs the interval once a minute at best; one timeout set for the end
    // still fires within a second of it.
    if (!announced) {
      window.setTimeout(tick, remainingAtLoad * 1000 + 100);
    }
  }

  // The end of a session: a short chime and a notification, also with the tab in the background.
  // The chime is Web Audio, which browsers let play only after the person touched the page (on
  // iPhones it follows the silent switch); the notification follows the device's own settings.
  let audio = null;
  function prepareSound() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) {
      audio = new Context();
    }
    if (audio && audio.state === "suspended") {
      audio.resume().catch(() => undefined);
    }
  }
  ["pointerdown", "keydown"].forEach((kind) => document.addEventListener(kind, prepareSound, { passive: true }));

  function chime() {
    if (!audio || audio.state !== "running") {
      return;
    }
    [0, 0.35].forEach((delay, index) => {
      const tone = audio.createOscillator();
      const volume = audio.createGain();
      const start = audio.currentTime + delay;
      tone.frequency.value = index ? 880 : 660;
      volume.gain.setValueAtTime(0.0001, start);
      volume.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
      volume.gain.exponentialRampToValueAtTime(0.0001, start + 0.6);
      tone.connect(volume).connect(audio.destination);
      tone.start(start);
      tone.stop(start + 0.65);
    });
  }

  function notify(timer) {
    if (!("Notification" in window) || Notification.permission !== "granted") {
      return;
    }
    const heading = timer.querySelector("#focus-timer-heading");
    const options = {
      body: "Time is up. Rate the session when you are back.",
      tag: `focus-${location.pathname}`,
      icon: "/static/icons/icon-192.png",
      data: { url: location.pathname },
    };
    const title = `${heading ? heading.textContent.trim() : "Focus session"}: time is up`;
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.ready.then((registration) => registration.showNotification(title, options));
    } else {
      new Notification(title, options);
    }
  }

  function signalTimeUp(timer) {
    chime();
    notify(timer);
  }

  // Notifications need the person's permission, asked for by a button press.
  function offerNotification(timer) {
    const clock = timer.querySelector(".focus-clock");
    if (!clock || !("Notification" in window) || Notification.permission !== "default") {
      return;
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary outline small";
    button.textContent = "Notify me when time is up";
    button.addEventListener("click", () => {
      Notification.requestPermission().then((answer) => {
        button.replaceWith(answer === "granted" ? "You will be notified when time is up." : "");
      });
    });
    clock.after(button);
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
