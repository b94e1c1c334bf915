// The statement form's suggestions: "Voeg toe" puts the resolution in the party's row of the
// form (its "Resoluties" field), so it is saved with everything else the editor typed; nothing
// is sent and nothing typed is lost. Without this script a saved statement gets the citation
// from the button's own form (a POST, then back to the form).
(() => {
  "use strict";

  function rowFor(party) {
    for (const select of document.querySelectorAll("#positions-group select[name$='-party']")) {
      if (select.value === party) return select.closest(".inline-related");
    }
    return null;
  }

  function citedIn(row) {
    return row ? row.querySelector("select[name$='-cited']") : null;
  }

  function markAdded(button) {
    const note = document.createElement("p");
    note.className = "suggestion-cited";
    note.textContent = "✓ In het formulier: bewaar om te citeren";
    button.closest("form").replaceWith(note);
  }

  // Buttons for resolutions already chosen in the form (before an htmx refresh of the panel).
  function refresh() {
    for (const button of document.querySelectorAll("#suggestions [data-cite-resolution]")) {
      const select = citedIn(rowFor(button.dataset.citeParty));
      if (!select) continue;
      button.hidden = false;
      if ([...select.selectedOptions].some((option) => option.value === button.dataset.citeResolution)) {
        markAdded(button);
      }
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("#suggestions [data-cite-resolution]");
    if (!button) return;
    const row = rowFor(button.dataset.citeParty);
    const select = citedIn(row);
    if (!select) return; // no row for that party in this form: the button's form posts it
    event.preventDefault();
    const id = button.dataset.citeResolution;
    let option = [...select.options].find((candidate) => candidate.value === id);
    if (!option) {
      option = new Option(button.dataset.citeLabel, id, true, true);
      select.append(option);
    }
    option.selected = true;
    if (window.django && window.django.jQuery) window.django.jQuery(select).trigger("change");
    else select.dispatchEvent(new Event("change", { bubbles: true }));
    const status = document.getElementById("suggestions-status");
    const party = row.querySelector("select[name$='-party']").selectedOptions[0].textContent;
    const number = button.dataset.citeLabel.split(".")[0];
    if (status) status.textContent = `Resolutie ${number} staat bij ${party} in het formulier. Bewaar om te citeren.`;
    const focus = button.closest("li");
    markAdded(button);
    focus.tabIndex = -1;
    focus.focus();
  });

  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:afterSwap", refresh);
})();
