// Stemtest on the voter's device, what quiz.js (the statements) and results.js (the results)
// share: the bundle, and the answers as the device keeps them, in the address's fragment
// (#antwoorden=1.12e13O…), which a browser never sends to a server. The format is that of
// quiz/answers.py without its signature: per answered statement its id and a letter (e eens,
// o oneens, n neutraal, s overslaan), upper case for belangrijk. The page hands over the
// letters, labels and messages as JSON (#answer-codec), so none of them is typed again here.
(() => {
  "use strict";

  const element = document.getElementById("answer-codec");
  if (!element) return;
  const CODEC = JSON.parse(element.textContent);
  const LETTERS = CODEC.letters; // choice → its letter
  const CHOICE_OF = Object.fromEntries(Object.entries(LETTERS).map(([choice, letter]) => [letter, choice]));
  const FORMAT = CODEC.format + ".";
  const LETTER = Object.values(LETTERS).join("");
  const PAIR = new RegExp(`([0-9]{1,10})([${LETTER}${LETTER.toUpperCase()}])`, "g");
  const HASH = "#antwoorden=";

  // Answers from "1.12e13O…": a Map of statement id (a string) → { choice, important }. Only
  // statements in `known` (ids, in any order) are kept.
  function parse(payload, known) {
    const ids = new Set(known.map(String));
    const parsed = new Map();
    if (!payload || !payload.startsWith(FORMAT)) return parsed;
    for (const [, id, letter] of payload.slice(FORMAT.length).matchAll(PAIR)) {
      if (ids.has(id)) {
        parsed.set(id, { choice: CHOICE_OF[letter.toLowerCase()], important: letter !== letter.toLowerCase() });
      }
    }
    return parsed;
  }

  // The answers in the quiz's order (`order`: statement ids).
  function serialise(answers, order) {
    const pairs = order
      .map(String)
      .filter((id) => answers.has(id))
      .map((id) => {
        const { choice, important } = answers.get(id);
        return id + (important ? LETTERS[choice].toUpperCase() : LETTERS[choice]);
      });
    return FORMAT + pairs.join("");
  }

  // The answers in an address's fragment, or "" when it has none.
  function inFragment(hash) {
    return hash.startsWith(HASH) ? hash.slice(HASH.length) : "";
  }

  // "Eens", or "Eens (belangrijk)".
  function described(answer) {
    return CODEC.labels[answer.choice] + (answer.important ? CODEC.important : "");
  }

  // The bundle (/stemtest/<slug>/stellingen/), parsed into a detached element, or null when it
  // cannot be had (offline, refused, too slow): the page's plain forms then carry on.
  async function fetchBundle(url, cache = "default", timeout = 10000) {
    try {
      const signal = AbortSignal.timeout(timeout);
      const response = await fetch(url, { headers: { Accept: "text/html" }, cache, signal });
      if (!response.ok) return null;
      const holder = document.createElement("div");
      holder.innerHTML = await response.text();
      return holder.querySelector("#stellingen") ? holder : null;
    } catch {
      return null;
    }
  }

  const supported = Boolean(
    window.fetch && window.SubmitEvent && "submitter" in SubmitEvent.prototype && window.AbortSignal && AbortSignal.timeout,
  );

  window.StemtestDevice = { CODEC, HASH, parse, serialise, inFragment, described, fetchBundle, supported };
})();
