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

// Autosave and live preview send the text only: files go with Save (or are recorded again).
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.elt.closest && event.detail.elt.closest(".entry-editor")) {
    for (const name of ["photo", "voice_note"]) {
      delete event.detail.parameters[name];
    }
  }
});

// The Markdown toolbar: each button wraps the selection (or the line) of the entry text in its marks.
const MARKS = [
  { label: "Bold", around: ["**", "**"] },
  { label: "Italic", around: ["*", "*"] },
  { label: "Heading", line: "## " },
  { label: "List", line: "- " },
  { label: "Task", line: "- [ ] " },
  { label: "Quote", line: "> " },
  { label: "Link", around: ["[", "](https://)"] },
];

function applyMark(textarea, mark) {
  const { selectionStart: start, selectionEnd: end, value } = textarea;
  let text;
  let caret;
  if (mark.around) {
    const [before, after] = mark.around;
    text = value.slice(0, start) + before + value.slice(start, end) + after + value.slice(end);
    caret = end + before.length;
  } else {
    const lineStart = value.lastIndexOf("\n", start - 1) + 1;
    text = value.slice(0, lineStart) + mark.line + value.slice(lineStart);
    caret = end + mark.line.length;
  }
  textarea.value = text;
  textarea.focus();
  textarea.setSelectionRange(caret, caret);
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
}

function addToolbar(holder) {
  const textarea = document.getElementById(holder.dataset.markdownToolbar);
  if (!textarea) {
    return;
  }
  const bar = document.createElement("div");
  bar.className = "md-toolbar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Formatting");
  bar.setAttribute("aria-controls", textarea.id);
  for (const mark of MARKS) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary outline small";
    button.textContent = mark.label;
    button.addEventListener("click", () => applyMark(textarea, mark));
    bar.append(button);
  }
  textarea.before(bar);
}

// Voice notes recorded in the browser where it can (MediaRecorder); the file input stays for uploads.
function addRecorder(input) {
  if (!window.MediaRecorder || !navigator.mediaDevices) {
    return;
  }
  const box = document.createElement("div");
  box.className = "voice-recorder";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary small";
  button.textContent = "Record a voice note";
  const status = document.createElement("span");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  box.append(button, status);
  input.after(box);
  let recorder = null;
  button.addEventListener("click", async () => {
    if (recorder && recorder.state === "recording") {
      recorder.stop();
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      status.textContent = "The microphone is not available; choose an audio file instead.";
      return;
    }
    const chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.addEventListener("dataavailable", (event) => chunks.push(event.data));
    recorder.addEventListener("stop", () => {
      stream.getTracks().forEach((track) => track.stop());
      const type = recorder.mimeType || "audio/webm";
      const extension = type.includes("ogg") ? "ogg" : type.includes("mp4") ? "m4a" : "webm";
      const file = new File(chunks, `voice-note.${extension}`, { type });
      const files = new DataTransfer();
      files.items.add(file);
      input.files = files.files;
      button.textContent = "Record again";
      status.textContent = `Recorded (${Math.round(file.size / 1024)} KB); it is added when you save.`;
    });
    recorder.start();
    button.textContent = "Stop recording";
    status.textContent = "Recording…";
  });
}

// The place's position from the browser, only when the person asks for it.
function addLocator(box) {
  if (!navigator.geolocation) {
    return;
  }
  const form = box.closest("form");
  const status = form.querySelector("[data-locate-status]");
  const clear = box.querySelector("[data-locate-clear]");
  box.hidden = false;
  box.querySelector("[data-locate-button]").addEventListener("click", () => {
    status.textContent = "Finding where you are…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const lat = position.coords.latitude.toFixed(5);
        const lng = position.coords.longitude.toFixed(5);
        form.elements.latitude.value = lat;
        form.elements.longitude.value = lng;
        clear.hidden = false;
        status.textContent = `Position kept: ${lat}, ${lng}.`;
        form.dispatchEvent(new Event("input", { bubbles: true }));
      },
      () => {
        status.textContent = "Your location is not available; type the place's name instead.";
      },
      { timeout: 15000, maximumAge: 60000 },
    );
  });
  clear.addEventListener("click", () => {
    form.elements.latitude.value = "";
    form.elements.longitude.value = "";
    clear.hidden = true;
    status.textContent = "The position is forgotten when you save.";
    form.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

// A typed name that is already one of the person's tags ticks that tag instead of staying as text.
function tickKnownTags(input) {
  const form = input.closest("form");
  const known = new Map(
    [...form.querySelectorAll("input[data-tag-name]")].map((box) => [box.dataset.tagName.toLowerCase(), box]),
  );
  input.addEventListener("change", () => {
    const left = [];
    for (const name of input.value.split(",").map((part) => part.trim()).filter(Boolean)) {
      const box = known.get(name.toLowerCase());
      if (box) {
        box.checked = true;
      } else {
        left.push(name);
      }
    }
    input.value = left.join(", ");
  });
}

const ENHANCEMENTS = [
  ["[data-markdown-toolbar]", addToolbar],
  ["input[data-voice-recorder]", addRecorder],
  ["[data-locate]", addLocator],
  ["input[list='tag-suggestions']", tickKnownTags],
];

function enhanceEditor(root) {
  for (const [selector, enhance] of ENHANCEMENTS) {
    for (const element of root.querySelectorAll(selector)) {
      if (!element.dataset.enhanced) {
        element.dataset.enhanced = "1";
        enhance(element);
      }
    }
  }
}

document.addEventListener("DOMContentLoaded", () => enhanceEditor(document));
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target && event.detail.target.querySelector) {
    enhanceEditor(event.detail.target);
  }
});
