// A refused cancel or resume (409) comes back as the subscription panel with the reason: show it in place.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 409 && event.detail.target.id === "subscription") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
