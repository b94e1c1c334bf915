// Stemtest: "Kopieer link" and, where the browser has it, "Delen…" for the share link on the
// results page. The link is the voter's own; nothing is sent anywhere unless they share it.
// The results are swapped in anew when an answer changes (htmx), so this sets up every time.
(() => {
  "use strict";

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
        status.textContent = "De link is gekopieerd.";
      } catch {
        field.select();
        status.textContent = "Kopiëren lukte niet: de link is geselecteerd, kopieer hem zelf.";
      }
    } else if (event.target.closest(".share-actions [data-share]")) {
      try {
        await navigator.share({ title: document.title, url: field.value });
      } catch {
        // Cancelled, or not allowed here: the link stays in the field.
      }
    }
  });

  document.addEventListener("htmx:afterSettle", setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
