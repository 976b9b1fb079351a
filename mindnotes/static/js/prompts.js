// htmx 2 leaves 4xx answers unswapped; a prompt card answered with 403/409/422 carries its
// own message (errors beside the fields, "already answered", "no swaps left"), so show it.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if ([403, 409, 422].includes(status) && event.detail.elt.closest("[data-prompts]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
