// Forms marked data-swap-errors show the form the server sends back with its
// errors (403 PDF needs Premium, 409 export pending, 413 too large, 422 invalid, 503 import failed):
// htmx 2 does not swap 4xx/5xx answers by default.
document.addEventListener("htmx:beforeSwap", (event) => {
  const form = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (form && form.hasAttribute("data-swap-errors") && [403, 409, 413, 422, 503].includes(event.detail.xhr.status)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
