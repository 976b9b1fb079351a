// Mood picker: the intensity number field becomes a slider with its value shown,
// and htmx swaps the 422 answers of mood forms so errors appear next to the fields.
function enhanceMoodSliders(root) {
  root.querySelectorAll("input[data-mood-slider]").forEach((input) => {
    const value = Number(input.value);
    // A value out of range stays a number field, so the person sees what they typed.
    if (!Number.isInteger(value) || value < 1 || value > 10) {
      return;
    }
    input.type = "range";
    const output = input.form.querySelector(`output[for="${input.id}"]`);
    if (output) {
      output.hidden = false;
      output.value = input.value;
      input.addEventListener("input", () => {
        output.value = input.value;
      });
    }
  });
}

document.addEventListener("DOMContentLoaded", () => enhanceMoodSliders(document));
document.addEventListener("htmx:load", (event) => enhanceMoodSliders(event.detail.elt));

document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 422 && event.detail.requestConfig.elt.closest("[data-mood-form]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
