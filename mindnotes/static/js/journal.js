// Journal pages: let htmx show the server's answer for input problems (422), conflicts (409),
// the plan limit (403) and too-large uploads (413), and say so when a draft could not be saved.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if ([403, 409, 413, 422].includes(status)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

function showDraftProblem(event) {
  const status = document.getElementById("draft-status");
  if (!status || event.detail.target !== status) {
    return;
  }
  const message = document.createElement("span");
  message.className = "draft-error";
  message.textContent = "Draft not saved (the connection failed). Your text is still here; keep it open and try Save draft.";
  status.replaceChildren(message);
}

document.addEventListener("htmx:sendError", showDraftProblem);
document.addEventListener("htmx:responseError", showDraftProblem);

// Saving the entry ends any draft save still on its way, so it cannot bring back a draft of saved words.
document.addEventListener("submit", (event) => {
  if (event.target.matches(".entry-editor") && window.htmx) {
    window.htmx.trigger(event.target, "htmx:abort");
  }
});
