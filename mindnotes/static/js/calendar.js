// Moves the "selected" outline to the day whose details htmx just loaded
// (without JavaScript the whole page is rendered with the chosen day marked).
document.addEventListener("htmx:afterSwap", (event) => {
  const link = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (!link || !link.classList || !link.classList.contains("calendar-day")) {
    return;
  }
  document.querySelectorAll(".calendar-day.selected").forEach((day) => day.classList.remove("selected"));
  link.classList.add("selected");
});
