// Sends the CSRF token with every htmx request (plain forms carry a hidden field).
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) {
    event.detail.headers["X-CSRFToken"] = token.content;
  }
});

// A blank sign-up form starts in the browser's own time zone.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector("select[data-detect-timezone]");
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (select && [...select.options].some((option) => option.value === zone)) {
    select.value = zone;
  }
});

// Confirmations: htmx loads the question into base.html's dialog; show it as a modal, and let
// its Cancel link (the way back without JavaScript) just close it.
document.addEventListener("htmx:afterSwap", (event) => {
  const dialog = event.detail.target;
  if (dialog.id === "confirm-dialog" && !dialog.open) {
    dialog.showModal();
  }
});
document.addEventListener("click", (event) => {
  const cancel = event.target.closest("dialog [data-close-dialog]");
  if (cancel) {
    event.preventDefault();
    cancel.closest("dialog").close();
  }
});
