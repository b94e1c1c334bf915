// Stemtest: the quiz on the voter's own device.
//
// Without this script every answer is a round trip: a form POST and a redirect to the next
// statement. With it, a statement page fetches the bundle at once (`data-stellingen`:
// /stemtest/<slug>/stellingen/, the same bytes for every voter, cacheable), then shows the
// statements one by one and keeps the answers in memory and in the address's fragment
// (#antwoorden=1.12e13O…, see device.js), which a browser never sends to a server: a reload or
// the back button keep them, the server sees nothing. The last answer, or "Naar je resultaat",
// opens the results page at an address with the answers in its fragment; results.js computes
// and shows them there from the same bundle. No request of the quiz carries an answer.
//
// Until the statements have arrived, an answer waits for them; if they cannot be fetched, or the
// browser lacks what this needs, nothing changes: the plain forms carry on with a request per
// answer, the answers kept so far sent along with the next.
(() => {
  "use strict";

  const Answers = window.StemtestDevice;
  const { gettext, interpolate } = window.django || {}; // i18n.js, after the catalogue on fr/en pages
  if (!Answers || !gettext) return;
  const { CODEC, HASH } = Answers;
  const LETTERS = CODEC.letters;
  const LABELS = CODEC.labels;
  const TIMEOUT = 10000; // ms to wait for the statements before the forms take over

  let steps = []; // <template> per statement, in quiz order, from the bundle
  let resultsPath = ""; // the results page, from the bundle
  let reviewTemplate = null; // the overview before the results (<template id="overzicht">)
  const REVIEW = "overzicht"; // history.state.stemtest while the overview is shown
  let reviewFrom = 0; // the statement the overview was opened from
  let backToReview = false; // a statement opened from the overview ("wijzig"): answer, then back
  let answers = new Map(); // statement id (a string) → { choice, important }
  let loading = false; // the bundle is on its way: answers wait for it
  let active = false; // the bundle is in: this script runs the quiz
  let pending = null; // an answer given while loading: { form, submitter, important }

  const ids = () => steps.map((step) => step.dataset.stelling);

  // Answers from "1.12e13O…"; statements no longer in the quiz are dropped.
  function parse(payload) {
    return Answers.parse(payload, ids());
  }

  function serialise() {
    return Answers.serialise(answers, ids());
  }

  // The results, computed on the device from the answers in the fragment.
  function resultsAddress() {
    return resultsPath + HASH + serialise();
  }

  // The address of statement `number`, with the answers in the fragment.
  function address(number) {
    const path = steps[number - 1].content.querySelector(".answer-form").getAttribute("action");
    return answers.size ? path + HASH + serialise() : path;
  }

  function state(number) {
    return { stemtest: number, stelling: steps[number - 1].dataset.stelling };
  }

  function currentNumber() {
    return Number(document.getElementById("quiz-step").dataset.number);
  }

  // The statement or the overview on screen.
  function currentStep() {
    return document.getElementById("quiz-step") || document.getElementById("review-step");
  }

  function reviewAddress() {
    const path = reviewTemplate.content.querySelector(".review-form").getAttribute("action");
    return answers.size ? path + HASH + serialise() : path;
  }

  // The overview in place of the statement: every answer (skipped ones aside), "belangrijk" to
  // tick, a link back to each statement; as the server renders it for the same answers.
  function showReview({ focus = true, announce = "" } = {}) {
    const section = reviewTemplate.content.querySelector("#review-step").cloneNode(true);
    let answered = 0;
    let open = 0;
    for (const item of section.querySelectorAll(".review-item")) {
      const answer = answers.get(item.dataset.stelling);
      if (!answer) open += 1;
      else if (answer.choice !== "overslaan") answered += 1;
      item.querySelector("[data-answer]").textContent = answer ? LABELS[answer.choice] : gettext("nog niet beantwoord");
      item.querySelector("[data-when-answered]").hidden = !answer;
      item.querySelector("[data-when-open]").hidden = Boolean(answer);
      item.querySelector("[data-important-box]").hidden = !answer || answer.choice === "overslaan";
      item.querySelector("input[type=checkbox]").checked = Boolean(answer && answer.important);
      const link = item.querySelector("a[data-number]");
      link.href = address(Number(link.dataset.number));
    }
    section.querySelector("[data-answered]").textContent = answered;
    section.querySelector("[data-open]").hidden = open === 0;
    // Back to the statement the voter came from (the last one after the last answer).
    if (!(reviewFrom >= 1 && reviewFrom <= steps.length)) reviewFrom = steps.length;
    const back = section.querySelector(".quiz-nav a[rel=prev]");
    back.dataset.number = String(reviewFrom);
    back.textContent = interpolate(gettext("Terug naar stelling %(number)s"), { number: reviewFrom }, true);
    back.href = address(reviewFrom);
    currentStep().replaceWith(section);
    document.getElementById("inhoud").classList.add("wide"); // as on the overview's own page
    document.title = gettext("Wat vind je belangrijk? – Stemtest");
    document.getElementById("quiz-status").textContent = announce;
    history.replaceState({ stemtest: REVIEW }, "", reviewAddress());
    if (focus) section.querySelector("#review-heading").focus();
  }

  // "Belangrijk" as ticked in the overview.
  function readReview() {
    for (const box of document.querySelectorAll("#review-step [data-important-box]:not([hidden]) input[type=checkbox]")) {
      const id = box.closest(".review-item").dataset.stelling;
      const answer = answers.get(id);
      if (answer) answers.set(id, { choice: answer.choice, important: box.checked });
    }
    history.replaceState({ stemtest: REVIEW }, "", reviewAddress());
  }

  // "Je antwoordde eerder: <strong>Eens</strong> (belangrijk)." in the page's language: the text
  // before the answer, and the text after it (after " (belangrijk)" too, when that is ticked).
  function answeredBefore() {
    // Translators: %(answer)s is the answer given before (Eens, Oneens…), in bold, followed by " (belangrijk)" when ticked.
    const [before, after = ""] = gettext("Je antwoordde eerder: %(answer)s.").split("%(answer)s");
    return [before, after];
  }

  // Show statement `number` in place of the current one, as the server would render it.
  // The quiz keeps one entry in the browser's history, replaced at every step: the answers are in
  // its address, and a history of addresses, one per answer, would outlive the tab.
  function show(number, { focus = true, announce = "" } = {}) {
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
      const [before, after] = answeredBefore();
      note.append(before, label, (answer.important ? CODEC.important : "") + after);
      form.querySelector(".answers").before(note);
      const button = form.querySelector(`button[name="answer"][value="${answer.choice}"]`);
      button.classList.add("current");
      button.setAttribute("aria-describedby", "current-answer");
    }
    if (number > 1) section.querySelector(".quiz-nav a[rel=prev]").href = address(number - 1);
    const next = section.querySelector(".quiz-nav a[rel=next]");
    if (next) {
      next.hidden = !answer; // an answered statement goes on without answering again
      next.href = address(number + 1);
    }
    const toResults = section.querySelector("a.to-results");
    toResults.hidden = answers.size === 0;
    toResults.href = resultsAddress();

    const overview = section.querySelector("a[data-overview]");
    if (reviewTemplate) overview.href = reviewAddress();
    currentStep().replaceWith(section);
    document.getElementById("inhoud").classList.remove("wide");
    document.title = interpolate(gettext("Stelling %(number)s van %(total)s – Stemtest"), { number, total: steps.length }, true);
    document.getElementById("quiz-status").textContent = announce;
    history.replaceState(state(number), "", address(number));
    if (focus) section.querySelector("#statement-heading").focus();
  }

  function record(number, id, choice, important) {
    answers.set(id, { choice, important });
    const described = LABELS[choice] + (important ? CODEC.important : "");
    const announce = CODEC.saved.replace("{number}", number).replace("{answer}", described);
    if (number >= steps.length || backToReview) {
      reviewFrom = number;
      backToReview = false;
      showReview({ announce }); // then the results
    } else show(number + 1, { announce });
  }

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (active && form.matches("#review-step .review-form")) {
        event.preventDefault();
        readReview();
        document.getElementById("quiz-status").textContent = gettext("Even geduld: je resultaat wordt berekend…");
        location.assign(resultsAddress());
        return;
      }
      if (!form.matches("#quiz-step .answer-form")) return;
      const choice = event.submitter && event.submitter.value;
      if (!(choice in LETTERS)) return;
      if (active) {
        event.preventDefault();
        event.stopPropagation();
        record(currentNumber(), form.elements.stelling.value, choice, form.elements.belangrijk.checked);
      } else if (loading) {
        event.preventDefault();
        event.stopPropagation();
        pending = { form, submitter: event.submitter, important: form.elements.belangrijk.checked };
        document.getElementById("quiz-status").textContent = gettext("Even geduld: je antwoord wordt bewaard…");
      }
    },
    true,
  );

  document.addEventListener(
    "click",
    (event) => {
      if (!active) return;
      // The second click of a double click (or double tap) would answer the next statement.
      if (event.detail > 1 && event.target.closest("#quiz-step .answers, #quiz-step .quiz-nav")) {
        event.preventDefault();
        document.getElementById("statement-heading").focus();
        return;
      }
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      // The skip link would add a history entry, and an address without the answers.
      if (event.target.closest(".skip-link")) {
        event.preventDefault();
        document.getElementById("inhoud").focus();
        return;
      }
      const overview = event.target.closest("#quiz-step a[data-overview]");
      if (overview) {
        event.preventDefault();
        reviewFrom = currentNumber();
        showReview();
        return;
      }
      const back = event.target.closest("#review-step a[data-number]");
      if (back) {
        event.preventDefault();
        readReview();
        backToReview = !back.matches(".quiz-nav a"); // "wijzig": after the answer, back here
        show(Number(back.dataset.number));
        return;
      }
      const toResults = event.target.closest("#quiz-step a.to-results");
      if (toResults) toResults.href = resultsAddress(); // "Belangrijk" may have changed since
      const previous = event.target.closest("#quiz-step .quiz-nav a[rel=prev]");
      if (previous && currentNumber() > 1) {
        event.preventDefault();
        event.stopPropagation();
        show(currentNumber() - 1);
      }
      const next = event.target.closest("#quiz-step .quiz-nav a[rel=next]");
      if (next && currentNumber() < steps.length) {
        event.preventDefault();
        event.stopPropagation();
        show(currentNumber() + 1);
      }
    },
    true,
  );

  // "Belangrijk" ticked or unticked on a statement answered already: saved at once.
  document.addEventListener("change", (event) => {
    if (active && event.target.matches("#review-step input[type=checkbox]")) {
      readReview();
      return;
    }
    if (!active || !event.target.matches("#quiz-step #belangrijk")) return;
    const id = document.querySelector("#quiz-step input[name=stelling]").value;
    const answer = answers.get(id);
    if (!answer) return; // not answered yet: it goes with the answer
    answers.set(id, { choice: answer.choice, important: event.target.checked });
    const number = currentNumber();
    history.replaceState(state(number), "", address(number));
    document.querySelector("#quiz-step a.to-results").href = resultsAddress();
    const note = document.getElementById("current-answer");
    if (note) note.lastChild.textContent = (event.target.checked ? CODEC.important : "") + answeredBefore()[1];
    document.getElementById("quiz-status").textContent = CODEC.saved
      .replace("{number}", number)
      .replace("{answer}", LABELS[answer.choice] + (event.target.checked ? CODEC.important : ""));
  });

  // Enter in the "Belangrijk" checkbox would submit the form with its first button, "Eens".
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches("#quiz-step input[type=checkbox]")) event.preventDefault();
  });

  // Back or Forward to this page's entry (from the results, or to an address opened before this
  // script took over); also a jump to a fragment (the skip link), which would leave the answers
  // out of the address.
  window.addEventListener("popstate", (event) => {
    const ours = event.state && event.state.stemtest;
    if (active && ours === REVIEW) {
      showReview();
      return;
    }
    if (!active) {
      // Once the statements are in, start() shows the statement of this entry (history.state).
      if (ours && !loading) location.reload(); // the server renders that address
      return;
    }
    let number = 0;
    if (ours) number = steps.findIndex((step) => step.dataset.stelling === event.state.stelling) + 1;
    if (!number) {
      const match = location.pathname.match(/\/stelling\/([0-9]+)\/$/);
      number = match ? Number(match[1]) : 0;
    }
    if (!(number >= 1 && number <= steps.length)) {
      location.reload();
      return;
    }
    if (!ours && location.hash.startsWith(HASH)) answers = parse(location.hash.slice(HASH.length));
    if (ours || number !== currentNumber() || location.hash.startsWith(HASH)) {
      show(number);
    } else {
      history.replaceState(state(number), "", address(number));
    }
  });

  // Back from the results out of the back/forward cache: show the last answer too.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted || !active) return;
    if (document.getElementById("review-step")) showReview({ focus: false });
    else show(currentNumber(), { focus: false });
  });

  async function fetchSteps(url, cache) {
    const holder = await Answers.fetchBundle(url, cache, TIMEOUT);
    if (!holder) return null; // offline or refused: the server flow carries on
    const bundle = holder.querySelector("#stellingen");
    resultsPath = bundle.dataset.results;
    reviewTemplate = holder.querySelector("#overzicht");
    return Array.from(bundle.querySelectorAll(":scope > template"));
  }

  // The element in `section` that stands where `element` stood in the page's own screen.
  function counterpart(element, section) {
    if (element.id) return section.querySelector(`#${CSS.escape(element.id)}`);
    if (element.matches("button[name=answer]")) return section.querySelector(`button[value="${element.value}"]`);
    if (element.matches("summary")) return section.querySelector("summary");
    return section.querySelector("#statement-heading");
  }

  // The answers a page was loaded with: those of the address it was loaded at (Back may move
  // the address on before the statements are in), and those of its token.
  function loadedWith(page) {
    const loaded = new URL(performance.getEntriesByType("navigation")[0]?.name || location.href);
    const kept = Answers.inFragment(loaded.hash);
    return { kept, token: page.querySelector("input[name=a]").value };
  }

  // The overview's own page (a reload of it, or the forms' flow): shown from the bundle with the
  // answers of the address (or of its token).
  async function startReview(page) {
    const { kept, token } = loadedWith(page);
    loading = true;
    steps = (await fetchSteps(page.dataset.stellingen, "default")) || [];
    loading = false;
    if (!steps.length || !reviewTemplate) {
      fallBack(kept);
      return;
    }
    answers = parse(kept || token.split(":")[0]);
    active = true;
    const focused = page.contains(document.activeElement);
    showReview({ focus: focused, announce: document.getElementById("quiz-status").textContent });
  }

  async function start() {
    // Right after a posted answer (the forms' flow), the next screen takes the focus, as when
    // this script shows it: its heading has `autofocus`, which not every browser honours.
    const heading = document.querySelector("#statement-heading[autofocus], #review-heading[autofocus]");
    if (heading && document.activeElement === document.body) heading.focus();
    const review = document.getElementById("review-step");
    if (review && review.dataset.stellingen && Answers.supported) {
      await startReview(review);
      return;
    }
    const page = document.getElementById("quiz-step");
    if (!page || !page.dataset.stellingen || !Answers.supported) return;
    loading = true;
    const { kept, token } = loadedWith(page); // the answers so far: the address's, else the token's
    // The statement to show: that of the history entry we are at by then, else the one on
    // screen, found by id: the quiz may have changed since the page was made, and then a fresh
    // copy of the bundle should know it.
    const wanted = () =>
      (history.state && history.state.stelling) || document.querySelector("#quiz-step input[name=stelling]").value;
    const numberOf = (id) => steps.findIndex((step) => step.dataset.stelling === id) + 1;
    steps = (await fetchSteps(page.dataset.stellingen, "default")) || [];
    const stale = () => {
      const number = numberOf(page.querySelector("input[name=stelling]").value);
      return !number || String(number) !== page.dataset.number;
    };
    if (steps.length && stale()) steps = (await fetchSteps(page.dataset.stellingen, "no-cache")) || [];
    const number = numberOf(wanted());
    loading = false;
    if (!number) {
      fallBack(kept);
      return;
    }

    const current = document.getElementById("quiz-step");
    answers = parse(kept || token.split(":")[0]);
    active = true;
    const focused = current.contains(document.activeElement) ? document.activeElement : null;
    const box = current.querySelector("#belangrijk");
    const details = current.querySelector("details");
    const same = current.querySelector("input[name=stelling]").value === steps[number - 1].dataset.stelling;
    show(number, { focus: false, announce: document.getElementById("quiz-status").textContent });
    // Keep what the voter did on the page's own screen while the statements loaded.
    const section = document.getElementById("quiz-step");
    if (same && box.checked !== box.defaultChecked) section.querySelector("#belangrijk").checked = box.checked;
    if (same && details && details.open) section.querySelector("details").open = true;
    if (focused) (counterpart(focused, section) || section.querySelector("#statement-heading")).focus();
    if (pending) {
      const { form, submitter, important } = pending;
      pending = null;
      const answered = numberOf(form.elements.stelling.value);
      if (answered) record(answered, form.elements.stelling.value, submitter.value, important);
    }
  }

  // No statements: the forms carry on, with the answers kept in the address sent along as
  // `antwoorden` until the server's token holds them, and with a waiting answer.
  function fallBack(kept) {
    if (kept) {
      for (const form of document.querySelectorAll("#quiz-step .answer-form, #review-step .review-form")) {
        const field = document.createElement("input");
        field.type = "hidden";
        field.name = "antwoorden";
        field.value = kept;
        form.append(field);
      }
    }
    if (pending) pending.form.requestSubmit(pending.submitter);
    pending = null;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
