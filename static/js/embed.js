// Inside a partner's iframe (/embed/<slug>/, Quiz.embed_origins): tell the partner's page how tall
// this page is, whenever that changes, so that its iframe grows with the quiz instead of
// scrolling inside; and open pages outside the quiz (the programmes, the method) in a new tab,
// because only the quiz's own pages may be shown in the frame. Outside a frame it does nothing.
// The message holds a height and nothing else: never an answer.
(() => {
  "use strict";
  if (window.parent === window) return;

  const quiz = document.documentElement.dataset.quizPath || "";
  // The frame's parent, where the browser says (Chromium, Safari); otherwise any: a height is
  // no secret.
  const origins = window.location.ancestorOrigins;
  const parent = origins && origins.length ? origins[0] : "*";
  let last = 0;

  function tell() {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: "stemtest:height", height }, parent);
    }
  }

  // The quiz in another language (/fr/…, /en/…, the language switcher) is the quiz too, and so
  // is the embed page it started on.
  const { bare } = window.StemtestLanguages;

  function outside(link) {
    const url = new URL(link.href, window.location.href);
    const path = bare(url.pathname);
    const own = path.startsWith(quiz) || path === quiz.replace(/^\/stemtest\//, "/embed/");
    return url.origin !== window.location.origin || !quiz || !own;
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("a[href]").forEach((link) => {
      if (outside(link)) {
        link.target = "_blank";
        link.rel = "noopener";
      }
    });
    new ResizeObserver(tell).observe(document.documentElement);
    tell();
  });
})();
