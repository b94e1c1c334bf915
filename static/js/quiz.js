// Stemtest: the quiz on the voter's own device.
//
// Without this script every answer is a round trip: a form POST, or htmx swapping in the next
// statement. With it, a statement page fetches every statement's screen at once
// (`data-stellingen`: /stemtest/<slug>/stellingen/, the same bytes for every voter, cacheable),
// then shows them one by one and keeps the answers in memory and in the address's fragment
// (#antwoorden=1.12e13O…, the format of quiz/answers.py without its signature), which a browser
// never sends to a server: a reload or the back button keep them, the server sees nothing.
// At the last answer, or at "Naar je resultaat", the answers are POSTed all at once to the
// results page, which signs them into the share link.
//
// If the statements cannot be fetched, or the browser lacks what this needs, nothing changes:
// htmx (or plain forms without JavaScript) carry on with a request per answer.
(() => {
  "use strict";

  const LETTERS = { eens: "e", oneens: "o", neutraal: "n", overslaan: "s" };
  const LABELS = { eens: "Eens", oneens: "Oneens", neutraal: "Neutraal", overslaan: "Overslaan" };
  const CHOICE_OF = Object.fromEntries(Object.entries(LETTERS).map(([choice, letter]) => [letter, choice]));
  const FORMAT = "1.";
  const HASH = "#antwoorden=";

  let steps = []; // <template> per statement, in quiz order, from the bundle
  let resultsUrl = "";
  let answers = new Map(); // statement id (a string) → { choice, important }
  let active = false;

  // Answers from "1.12e13O…"; statements no longer in the quiz are dropped.
  function parse(payload) {
    const known = new Set(steps.map((step) => step.dataset.stelling));
    const parsed = new Map();
    if (!payload.startsWith(FORMAT)) return parsed;
    for (const [, id, letter] of payload.slice(FORMAT.length).matchAll(/(\d{1,10})([eonsEONS])/g)) {
      if (known.has(id)) {
        parsed.set(id, { choice: CHOICE_OF[letter.toLowerCase()], important: letter !== letter.toLowerCase() });
      }
    }
    return parsed;
  }

  function serialise() {
    const pairs = steps
      .map((step) => step.dataset.stelling)
      .filter((id) => answers.has(id))
      .map((id) => {
        const { choice, important } = answers.get(id);
        return id + (important ? LETTERS[choice].toUpperCase() : LETTERS[choice]);
      });
    return FORMAT + pairs.join("");
  }

  // The address of statement `number`, with the answers in the fragment.
  function address(number) {
    const path = steps[number - 1].content.querySelector(".answer-form").getAttribute("action");
    return answers.size ? path + HASH + serialise() : path;
  }

  // Show statement `number` in place of the current one, as the server would render it.
  function show(number, { push = false, focus = true, announce = "" } = {}) {
    const step = steps[number - 1];
    const section = step.content.querySelector("#quiz-step").cloneNode(true);
    const form = section.querySelector(".answer-form");
    const answer = answers.get(step.dataset.stelling);
    form.elements.belangrijk.checked = Boolean(answer && answer.important);
    if (answer) {
      const note = document.createElement("p");
      note.id = "current-answer";
      note.className = "current-answer";
      const label = document.createElement("strong");
      label.textContent = LABELS[answer.choice];
      note.append("Je antwoordde eerder: ", label, answer.important ? " (belangrijk)." : ".");
      form.querySelector(".answers").before(note);
      const button = form.querySelector(`button[name="answer"][value="${answer.choice}"]`);
      button.classList.add("current");
      button.setAttribute("aria-describedby", "current-answer");
      const tick = document.createElement("span");
      tick.setAttribute("aria-hidden", "true");
      tick.textContent = " ✓";
      button.append(tick);
    }
    const previous = section.querySelector(".quiz-nav a[rel=prev]");
    if (number > 1) previous.href = address(number - 1);
    const toResults = section.querySelector(".to-results");
    toResults.hidden = answers.size === 0;

    document.getElementById("quiz-step").replaceWith(section);
    document.title = `Stelling ${number} van ${steps.length} – Stemtest`;
    document.getElementById("quiz-status").textContent = announce;
    history[push ? "pushState" : "replaceState"]({ stemtest: number }, "", address(number));
    if (focus) section.querySelector("#statement-heading").focus();
  }

  // POST every answer to the results page, which signs them and redirects to the share link.
  function toResults() {
    const form = document.createElement("form");
    form.method = "post";
    form.action = resultsUrl;
    form.hidden = true;
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = "antwoorden";
    field.value = serialise();
    form.append(field);
    document.body.append(form);
    form.submit();
  }

  function currentNumber() {
    return Number(document.getElementById("quiz-step").dataset.number);
  }

  // Capture, so that this runs before htmx would.
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!active || !form.matches("#quiz-step .answer-form")) return;
      const choice = event.submitter && event.submitter.value;
      if (!(choice in LETTERS)) return;
      event.preventDefault();
      event.stopPropagation();
      const number = currentNumber();
      const important = form.elements.belangrijk.checked;
      answers.set(form.elements.stelling.value, { choice, important });
      if (number >= steps.length) {
        toResults();
        return;
      }
      const announce =
        `Je antwoord op stelling ${number} is bewaard: ${LABELS[choice]}` + (important ? " (belangrijk)." : ".");
      show(number + 1, { push: true, announce });
    },
    true,
  );

  document.addEventListener(
    "click",
    (event) => {
      if (!active || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target.closest("#quiz-step .quiz-nav a");
      if (!link) return;
      if (link.classList.contains("to-results")) {
        event.preventDefault();
        toResults();
      } else if (link.rel === "prev" && currentNumber() > 1) {
        event.preventDefault();
        show(currentNumber() - 1, { push: true });
      }
    },
    true,
  );

  window.addEventListener("popstate", (event) => {
    if (active && event.state && event.state.stemtest) show(event.state.stemtest);
  });

  async function start() {
    const page = document.getElementById("quiz-step");
    const supported = window.fetch && window.SubmitEvent && "submitter" in SubmitEvent.prototype;
    if (!page || !page.dataset.stellingen || !supported) return;
    let html;
    try {
      const response = await fetch(page.dataset.stellingen, { headers: { Accept: "text/html" } });
      if (!response.ok) return;
      html = await response.text();
    } catch {
      return; // offline or refused: the server flow carries on
    }
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const bundle = holder.querySelector("#stellingen");
    if (!bundle) return;
    steps = Array.from(bundle.querySelectorAll(":scope > template"));
    resultsUrl = bundle.dataset.results;

    // htmx may have moved on while the statements loaded: start from what is on screen now,
    // found by its statement id, since the quiz may have changed since the page was made.
    const current = document.getElementById("quiz-step");
    const id = current.querySelector("input[name=stelling]").value;
    const number = steps.findIndex((step) => step.dataset.stelling === id) + 1;
    if (!number) return;
    if (location.hash.startsWith(HASH)) {
      answers = parse(decodeURIComponent(location.hash.slice(HASH.length)));
    } else {
      const token = current.querySelector("input[name=a]").value;
      answers = parse(token.split(":")[0]);
    }
    active = true;
    show(number, {
      focus: current.contains(document.activeElement),
      announce: document.getElementById("quiz-status").textContent,
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
