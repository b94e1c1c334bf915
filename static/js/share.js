// Stemtest: "Kopieer link" and, where the browser has it, "Delen…" for the share link on the
// results page. The link is the voter's own; nothing is sent anywhere unless they share it.
// results.js replaces the server's page with the one it fills in (and says so: stemtest:results),
// so this sets up again then.
(() => {
  "use strict";

  const { gettext } = window.django || {}; // i18n.js, after the catalogue on fr/en pages
  if (!gettext) return; // the buttons stay hidden: the link is in its field to copy

  function setUp() {
    const actions = document.querySelector(".share-actions");
    if (!actions) return;
    const copy = actions.querySelector("[data-copy]");
    const share = actions.querySelector("[data-share]");
    copy.hidden = !(navigator.clipboard && window.isSecureContext);
    share.hidden = !navigator.share;
    actions.hidden = copy.hidden && share.hidden;
  }

  document.addEventListener("click", async (event) => {
    const field = document.getElementById("share-link");
    const status = document.getElementById("results-status"); // the page's live region
    if (!field || !status) return;
    if (event.target.closest(".share-actions [data-copy]")) {
      try {
        await navigator.clipboard.writeText(field.value);
        status.textContent = gettext("De link is gekopieerd.");
        const button = event.target.closest("[data-copy]");
        button.dataset.label ??= button.textContent; // "Kopieer link", as the page has it
        button.textContent = gettext("Gekopieerd ✓");
        setTimeout(() => (button.textContent = button.dataset.label), 2500);
      } catch {
        field.select();
        status.textContent = gettext("Kopiëren lukte niet: de link is geselecteerd, kopieer hem zelf.");
      }
    } else if (event.target.closest(".share-actions [data-share]")) {
      try {
        await navigator.share({ title: document.title, url: field.value });
      } catch {
        // Cancelled, or not allowed here: the link stays in the field.
      }
    }
  });

  document.addEventListener("stemtest:results", setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
