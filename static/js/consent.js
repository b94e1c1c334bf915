// "Tel mijn antwoorden anoniem mee" on the results page: the voter's one choice to send their
// answers (quiz.statistics counts them; nothing else ever sends them). On the device the answers
// are in the address's fragment, which the browser never sends: this puts them in the form, sends
// it once and says thank you in place. Without this script the form posts the page's signed token.
// The listener sits on the document: results.js draws the results, this form included, anew.
(() => {
  "use strict";

  const { ngettext, gettext, interpolate } = window.django || {}; // i18n.js, after the catalogue on fr/en pages
  if (!gettext) return; // the form posts the page's token, as without JavaScript

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-consent]");
    if (!form) return;
    event.preventDefault();
    const button = form.querySelector("button");
    const status = form.parentElement.querySelector("[data-consent-done]");
    const data = new URLSearchParams(new FormData(form));
    if (!data.get("a")) {
      const match = window.location.hash.match(/^#antwoorden=(.*)$/);
      data.set("antwoorden", match ? decodeURIComponent(match[1]) : "");
    }
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "omit",
      });
      if (!response.ok) throw new Error(String(response.status));
      const { geteld } = await response.json();
      form.hidden = true;
      status.textContent = interpolate(
        ngettext("Bedankt: je %(count)s antwoord telt anoniem mee.", "Bedankt: je %(count)s antwoorden tellen anoniem mee.", geteld),
        { count: geteld },
        true,
      );
    } catch {
      button.disabled = false;
      status.textContent = gettext("Dat lukte niet. Probeer het straks opnieuw.");
    }
  });
})();
