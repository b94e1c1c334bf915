// Stemtest: the language switcher keeps the voter where they are. The server fills its links in
// with this page's address in the other languages (stemtest/locale.py), but the quiz on the
// device moves from statement to statement without asking it, and keeps the answers in the
// address's fragment: at the click, the link takes the address as it is now, in its language.
(() => {
  "use strict";

  const PREFIX = /^\/(fr|en)(?=\/)/; // settings.LANGUAGES but the default, Dutch

  // An address of this site without its language: the same page in every language. Loaded
  // before the other scripts (base.html), for embed.js and results.js.
  window.StemtestLanguages = { bare: (path) => path.replace(PREFIX, "") };

  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest(".languages a[hreflang]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    const target = new URL(link.href, location.href).pathname.match(PREFIX);
    const path = window.StemtestLanguages.bare(location.pathname);
    link.href = (target ? target[0] : "") + path + location.search + location.hash;
  });
})();
