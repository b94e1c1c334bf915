// What Django's admin leaves for screen readers to trip on, fixed where it appears (axe finds
// no violation on the editors' pages with this):
// - Select2 (the autocomplete fields): the search box typed into and the single-choice box have
//   no name, and the "remove all" cross sits inside the list of chosen items, which may hold
//   only items. Select2 redraws them whenever the choice changes, so they are fixed each time:
//   they are named after the field (its label, or its column in a table of rows), and the cross
//   moves just before the list (Select2 listens for its clicks on the whole box).
// - A table of rows (a tabular inline, the lists' editable columns): the fields have only a
//   column header, and the column of the saved row's name has an empty one.
(() => {
  "use strict";

  function columnName(cell) {
    const row = cell && cell.closest("tr");
    const table = cell && cell.closest("table");
    if (!row || !table) return "";
    const header = table.querySelectorAll("thead th")[Array.from(row.cells).indexOf(cell)];
    return header ? header.textContent.trim() : "";
  }

  function fieldName(element) {
    const label = element.labels && element.labels[0];
    if (label) return label.textContent.replace(/:\s*$/, "").trim();
    if (element.getAttribute("aria-label")) return element.getAttribute("aria-label");
    return columnName(element.closest("td"));
  }

  function name(element, text) {
    if (text && !element.hasAttribute("aria-label")) element.setAttribute("aria-label", text);
  }

  function fix(root) {
    root.querySelectorAll(".select2-container").forEach((container) => {
      const select = container.previousElementSibling;
      const field = select && select.tagName === "SELECT" ? fieldName(select) : "";
      container.querySelectorAll(".select2-search__field").forEach((box) => {
        name(box, field ? `Zoek: ${field}` : "Zoek");
      });
      container
        .querySelectorAll(".select2-selection[role=combobox], .select2-selection__rendered[role=textbox]")
        .forEach((box) => name(box, field));
    });
    root.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear").forEach(
      (cross) => cross.parentElement.before(cross),
    );
    root.querySelectorAll("table td input, table td textarea, table td select").forEach((input) => {
      if (input.type !== "hidden" && !(input.labels && input.labels.length)) {
        name(input, columnName(input.closest("td")));
      }
    });
    root.querySelectorAll("table thead th.original:empty").forEach((header) => {
      header.innerHTML = '<span class="visually-hidden">Opgeslagen rij</span>';
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    fix(document);
    new MutationObserver(() => fix(document)).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
