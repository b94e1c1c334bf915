// File fields in Dutch: the browser labels its own file button in the browser's language
// ("Choose File"), which no page can change. This script puts a Dutch button and the chosen
// file's name in its place; the real input stays in the page (visually hidden, still focusable
// and still what the form sends). Without the script the browser's own control remains.
(() => {
  "use strict";

  const NONE = "Geen bestand gekozen";

  function enhance(input) {
    const picker = document.createElement("span");
    picker.className = "file-picker";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button file-picker-button";
    button.textContent = input.multiple ? "Kies bestanden" : "Kies een bestand";
    const name = document.createElement("span");
    name.className = "file-picker-name";
    name.setAttribute("aria-live", "polite");
    name.textContent = NONE;
    input.classList.add("file-picker-input");
    input.tabIndex = -1; // the button takes the focus instead
    // The field's name: its label, or the legend of the fieldset Django puts a file field in.
    const fieldset = input.closest("fieldset");
    const label = (input.labels && input.labels[0]) || (fieldset && fieldset.querySelector("legend"));
    if (label) {
      if (!label.id) label.id = `${input.id || input.name}-label`;
      button.setAttribute("aria-describedby", label.id);
      if (!(input.labels && input.labels.length)) input.setAttribute("aria-labelledby", label.id);
    }
    button.addEventListener("click", () => input.click());
    input.addEventListener("change", () => {
      const files = Array.from(input.files || []).map((file) => file.name);
      name.textContent = files.length ? files.join(", ") : NONE;
    });
    input.insertAdjacentElement("afterend", picker);
    picker.append(button, name);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[type=file]").forEach(enhance);
  });
})();
