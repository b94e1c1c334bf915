// Stemtest: the results on the voter's own device.
//
// The results page is opened at /stemtest/<slug>/resultaat/#antwoorden=1.12e13O…: the answers
// are in the fragment, which a browser never sends, so the server only ever sees a request for a
// page that is the same for every voter. This script fetches the bundle (`data-bundle`, which
// the quiz fetched already: it comes from the browser's cache), takes from it the page's frame
// and the parts the server rendered with the same templates (a ranking row per party, a block
// per theme, a row per statement), computes the result with scoring.js (the published method,
// equal to quiz/scoring.py) and fills in only what depends on the answers. Filters, the party
// to compare with, the order and changed answers all stay on the device; the address keeps the
// answers in its fragment, so a reload, the back button and the share link show the same.
//
// A page with a signed token (?a=…, the flow without JavaScript, or an older share link) is
// taken over the same way, and its address loses the token: a reload sends no answers again.
// Without the bundle the server's page stays as it is.
(() => {
  "use strict";

  const Device = window.StemtestDevice;
  const Scoring = window.StemtestScoring;
  const { gettext, ngettext, interpolate } = window.django || {}; // i18n.js, after the catalogue on fr/en pages
  const initial = document.getElementById("results");
  if (!Device || !Scoring || !gettext || !initial || !initial.dataset.bundle || !Device.supported) return;
  const { CODEC, HASH } = Device;
  const IMPORTANT_FIRST = "belangrijk";

  let data; // the bundle's #result-data: stances, themes, parties, words
  let parts; // name → the <template> with the server-rendered parts
  let order = []; // statement ids, in quiz order, as strings
  let answers = new Map();
  let view = { show: "alles", party: "", importantFirst: false };
  let result; // the latest score, with its ranking and themes
  let frame; // #results on screen
  let friend = null; // a friend's answers (a Map like `answers`), from their share link: never sent
  let together = null; // the voter's score against the friend's answers
  const SCORES = "#scores="; // a share link with the scores only: #scores=<slug>.<percentage>,…

  const status = (text) => {
    document.getElementById("results-status").textContent = text;
  };

  // --- The result ---------------------------------------------------------------------------

  function compute() {
    const codes = order.map((id) => (answers.has(id) ? data.codes[answers.get(id).choice] : Scoring.NONE));
    const important = order.map((id) => Boolean(answers.has(id) && answers.get(id).important));
    const score = Scoring.score(codes, important, data.stances);
    const names = data.parties.map((party) => party.name);
    result = {
      ...score,
      important,
      ranking: Scoring.rank(score.percentages, names),
      themes: Scoring.byGroup(codes, important, data.stances, data.themes, data.themeCount),
      hasScore: score.percentages.some((percentage) => percentage !== null),
      answered: order.filter((id) => answers.has(id) && answers.get(id).choice !== "overslaan").length,
    };
  }

  // The party the filters compare with: the one asked for, else the best match.
  function focusIndex() {
    const asked = data.parties.findIndex((party) => party.slug === view.party);
    if (asked >= 0) return asked;
    return result.ranking.length ? result.ranking[0].index : null;
  }

  function outcome(s, p) {
    const points = result.points[s][p];
    return points === null ? data.outcomes.none : data.outcomes[String(points)];
  }

  // --- Addresses ----------------------------------------------------------------------------

  function query(wanted) {
    const params = new URLSearchParams();
    if (wanted.show !== "alles") params.set("toon", wanted.show);
    if (wanted.party) params.set("partij", wanted.party);
    if (wanted.importantFirst) params.set("volgorde", IMPORTANT_FIRST);
    const text = params.toString();
    return text ? "?" + text : "";
  }

  function address(wanted = view) {
    return location.pathname + query(wanted) + HASH + Device.serialise(answers, order);
  }

  function viewFrom(params) {
    const show = params.get("toon");
    const party = params.get("partij");
    return {
      show: show in data.filters ? show : "alles",
      party: data.parties.some((p) => p.slug === party) ? party : "",
      importantFirst: params.get("volgorde") === IMPORTANT_FIRST,
    };
  }

  // --- Filling in the parts -----------------------------------------------------------------

  function clonePart(name, selector) {
    return parts[name].content.querySelector(selector).cloneNode(true);
  }

  function fillScored(element, percentage) {
    const scored = percentage !== null;
    for (const part of element.querySelectorAll("[data-scored]")) part.hidden = !scored;
    for (const part of element.querySelectorAll("[data-unscored]")) part.hidden = scored;
    if (!scored) return;
    element.querySelector("[data-percentage]").textContent = percentage;
    element.querySelector("[data-bar]").setAttribute("width", percentage);
  }

  function summary() {
    const list = document.createElement("ol");
    list.className = "ranking";
    for (const entry of result.ranking) {
      const party = data.parties[entry.index];
      const row = clonePart("ranking", `[data-party="${CSS.escape(party.slug)}"]`);
      const rank = row.querySelector("[data-rank]");
      if (rank) rank.textContent = entry.rank ? `${entry.rank}.` : "–";
      row.querySelector("[data-tie]").hidden = !entry.tied;
      fillScored(row, entry.percentage);
      const used = result.used[entry.index];
      // Translators: how many statements a party's percentage rests on ("op basis van …").
      row.querySelector("[data-used]").textContent = interpolate(ngettext("%(count)s stelling", "%(count)s stellingen", used), { count: used }, true);
      list.append(row);
    }
    const holder = frame.querySelector("[data-summary]");
    holder.replaceChildren();
    if (data.parties.length === 1 && result.hasScore) {
      const headline = clonePart("headline", "[data-headline]");
      headline.querySelector("[data-percentage]").textContent = result.ranking[0].percentage;
      holder.append(headline);
    }
    holder.append(list);
  }

  function themes() {
    const blocks = result.themes.map((row, t) => {
      const block = clonePart("themes", `[data-theme="${t}"]`);
      row.forEach((percentage, p) => fillScored(block.querySelector(`li[data-party="${p}"]`), percentage));
      return block;
    });
    frame.querySelector(".theme-chart").replaceChildren(...blocks);
  }

  function scoreBar() {
    const items = result.ranking
      .filter((entry) => entry.percentage !== null)
      .slice(0, data.scoreBarParties)
      .flatMap((entry, position) => {
        const item = parts["score-items"].content.children[entry.index].cloneNode(true);
        // Translators: a party's score in the bar of scores, as "72 %".
        item.querySelector("strong").textContent = interpolate(gettext("%(percentage)s %"), { percentage: entry.percentage }, true);
        return position ? [" ", item] : [item];
      });
    frame.querySelector("[data-score-items]").replaceChildren(...items);
    return items;
  }

  // Statement row `s` (an index into `order`) as the answers stand now.
  function fillRow(row, s) {
    const answer = answers.get(order[s]);
    row.querySelector("[data-answer]").textContent = answer ? CODEC.labels[answer.choice] : data.unanswered;
    row.querySelector("[data-important]").hidden = !(answer && answer.important);
    data.parties.forEach((_, p) => {
      const [key, label] = outcome(s, p);
      for (const element of row.querySelectorAll(`[data-party="${p}"]`)) {
        element.className = element.className.replace(/\boutcome-[a-z]+/, `outcome-${key}`);
      }
      for (const word of row.querySelectorAll(`.chip[data-party="${p}"] [data-outcome], .party-stance[data-party="${p}"] [data-outcome]`)) {
        word.textContent = label;
      }
    });
    const line = row.querySelector("[data-friend]");
    line.hidden = !friend;
    if (friend) {
      const theirs = friend.get(order[s]);
      line.querySelector("[data-friend-answer]").textContent = theirs ? CODEC.labels[theirs.choice] : data.unanswered;
      const [key, label] = friendOutcome(s);
      line.className = `friend-answer outcome-${key}`;
      line.querySelector("[data-outcome]").textContent = label;
    }
    for (const radio of row.querySelectorAll("input[type=radio]")) radio.checked = Boolean(answer && radio.value === answer.choice);
    row.querySelector("input[type=checkbox]").checked = Boolean(answer && answer.important);
  }

  function rows() {
    const focus = focusIndex();
    const wanted = data.filters[view.show];
    let shown = order.map((_, s) => s);
    if (wanted !== undefined && focus !== null) shown = shown.filter((s) => result.points[s][focus] === wanted);
    if (view.importantFirst) {
      shown = [...shown.filter((s) => result.important[s]), ...shown.filter((s) => !result.important[s])];
    }
    const elements = shown.map((s) => {
      const row = clonePart("rows", `[data-stelling="${order[s]}"]`);
      fillRow(row, s);
      return row;
    });
    frame.querySelector(".statement-results").replaceChildren(...elements);
    frame.querySelector("[data-no-rows]").hidden = elements.length > 0;
    return elements.length;
  }

  // The filters, the party to compare with and the order: which is current, and each link's
  // address with the answers (to open in a new tab, or copy).
  function navigation() {
    const nav = frame.querySelector(".filters");
    if (!nav) return;
    const focus = focusIndex();
    const party = view.party || "";
    for (const link of nav.querySelectorAll("a[data-toon]")) {
      current(link, link.dataset.toon === view.show);
      link.href = address({ ...view, show: link.dataset.toon, party });
    }
    for (const link of nav.querySelectorAll("a[data-partij]")) {
      current(link, focus !== null && link.dataset.partij === data.parties[focus].slug);
      link.href = address({ ...view, party: link.dataset.partij });
    }
    const ordering = nav.querySelector("a[data-volgorde]");
    ordering.querySelector("[data-when-first]").hidden = !view.importantFirst;
    ordering.querySelector("[data-when-quiz]").hidden = view.importantFirst;
    ordering.href = address({ ...view, importantFirst: !view.importantFirst });
    const note = nav.querySelector("[data-compared-with]");
    note.hidden = !(data.parties.length > 1 && view.show !== "alles");
    if (focus !== null) note.querySelector("[data-focus-name]").textContent = data.parties[focus].name;
  }

  function current(link, yes) {
    if (yes) link.setAttribute("aria-current", "true");
    else link.removeAttribute("aria-current");
  }

  // --- A friend's answers, and sharing the scores only ---------------------------------------

  const codesOf = (kept) => order.map((id) => (kept.has(id) ? data.codes[kept.get(id).choice] : Scoring.NONE));

  // The voter against the friend as against a party: the friend's answers are the "stances".
  function friendScore() {
    const mine = codesOf(answers);
    const important = order.map((id) => Boolean(answers.has(id) && answers.get(id).important));
    return Scoring.score(mine, important, codesOf(friend).map((code) => [code]));
  }

  function friendOutcome(s) {
    const points = together.points[s][0];
    return points === null ? data.outcomes.none : data.outcomes[String(points)];
  }

  function showFriend() {
    const score = (together = friendScore());
    const note = frame.querySelector("[data-friend-score]");
    const percentage = score.percentages[0];
    const used = score.used[0];
    note.textContent =
      percentage === null
        ? gettext("Jullie beantwoordden geen enkele stelling allebei: er valt niets te vergelijken.")
        : interpolate(
            ngettext(
              "Jij en je vriend zijn het voor %(percentage)s\u00a0% eens, op basis van %(count)s stelling.",
              "Jij en je vriend zijn het voor %(percentage)s\u00a0% eens, op basis van %(count)s stellingen.",
              used,
            ),
            { percentage, count: used },
            true,
          );
    note.hidden = false;
    for (const row of frame.querySelectorAll(".statement-results [data-stelling]")) {
      fillRow(row, order.indexOf(row.dataset.stelling));
    }
  }

  // The friend's answers from their share link, or the reason there are none.
  function friendFrom(value) {
    if (!value.trim()) return gettext("Plak eerst de deellink van je vriend.");
    if (!/^https?:\/\//i.test(value.trim())) return gettext("Dat is geen link. Plak de hele deellink, die begint met https://.");
    let url;
    try {
      url = new URL(value.trim(), location.href);
    } catch {
      return gettext("Dat is geen link. Plak de hele deellink, die begint met https://.");
    }
    // The same results page in another language is the same quiz: the answers fit.
    const { bare } = window.StemtestLanguages;
    if (url.origin !== location.origin || bare(url.pathname) !== bare(location.pathname)) {
      return gettext("Die link is niet van deze stemtest.");
    }
    const kept = Device.inFragment(url.hash);
    if (!kept) return gettext("Die link heeft geen antwoorden: je vriend deelde misschien alleen de scores.");
    const parsed = Device.parse(kept, order);
    return parsed.size ? parsed : gettext("In die link staan geen antwoorden op de stellingen van deze stemtest.");
  }

  function scoresLink() {
    const entries = result.ranking
      .filter((entry) => entry.percentage !== null)
      .map((entry) => `${data.parties[entry.index].slug}.${entry.percentage}`);
    return location.origin + location.pathname + SCORES + entries.join(",");
  }

  function shareLink() {
    const only = frame.querySelector("[data-share-choice] input[value=scores]").checked;
    return only ? scoresLink() : location.origin + location.pathname + HASH + Device.serialise(answers, order);
  }

  // The scores of a scores-only link: one percentage (or null) per party, in the bundle's order.
  function sharedScores(text) {
    const percentages = data.parties.map(() => null);
    for (const item of text.split(",")) {
      const [slug, value] = item.split(".");
      const index = data.parties.findIndex((party) => party.slug === slug);
      if (index >= 0 && /^[0-9]{1,3}$/.test(value) && Number(value) <= 100) percentages[index] = Number(value);
    }
    return percentages;
  }

  function showSharedScores(text) {
    const percentages = sharedScores(text);
    result = {
      ranking: Scoring.rank(percentages, data.parties.map((party) => party.name)),
      used: data.parties.map(() => 0),
      hasScore: percentages.some((percentage) => percentage !== null),
    };
    for (const part of frame.querySelectorAll("[data-answers-only], [data-score-bar], [data-no-score]")) part.hidden = true;
    frame.querySelector("[data-shared-scores]").hidden = false;
    frame.querySelector("[data-summary]").hidden = !result.hasScore;
    summary();
    for (const note of frame.querySelectorAll("[data-used-note]")) note.hidden = true;
    frame.querySelector("h1").firstChild.textContent = gettext("Een gedeeld resultaat") + " "; // before the quiz's title
    document.title = gettext("Een gedeeld resultaat – Stemtest");
  }

  // Everything that depends on the answers but the rows.
  function scores() {
    frame.querySelector("[data-no-score]").hidden = result.hasScore;
    for (const name of ["[data-summary]", "[data-themes]", "[data-score-bar]"]) {
      frame.querySelector(name).hidden = !result.hasScore;
    }
    frame.querySelector("[data-answered]").textContent = result.answered;
    summary();
    themes();
    scoreBar();
    const share = shareLink();
    frame.querySelector("#share-link").value = share;
    frame.querySelector("[data-share-link]").href = share;
    navigation();
    history.replaceState(history.state, "", address());
  }

  // --- What the voter does ------------------------------------------------------------------

  frameEvents();

  function frameEvents() {
    document.addEventListener("click", (event) => {
      if (!frame || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target.closest("#results .filters a[data-toon], #results .filters a[data-partij], #results .filters a[data-volgorde]");
      if (!link) return;
      event.preventDefault();
      view = viewFrom(new URL(link.href).searchParams);
      const count = rows();
      navigation();
      history.replaceState(history.state, "", address());
      const label = link.dataset.toon ? link.textContent : frame.querySelector(".filters a[data-toon][aria-current]").textContent;
      // Translators: %(filter)s is the filter chosen (Alles, Eens…), %(count)s the statements it shows.
      const text = ngettext("%(filter)s: %(count)s stelling.", "%(filter)s: %(count)s stellingen.", count);
      status(interpolate(text, { filter: label.trim(), count }, true));
    });

    // Only the scores, or everything: the link changes, nothing is sent.
    document.addEventListener("change", (event) => {
      if (!frame || !event.target.closest("#results [data-share-choice]")) return;
      const share = shareLink();
      frame.querySelector("#share-link").value = share;
      frame.querySelector("[data-share-link]").href = share;
      const only = event.target.value === "scores";
      frame.querySelector("[data-share-what]").textContent = only
        ? gettext("Wie deze link opent, ziet alleen je scores per partij, niet je antwoorden.")
        : gettext("Wie deze link opent, ziet precies dit resultaat. Je antwoorden staan in de link zelf; wij bewaren niets.");
      document.dispatchEvent(new CustomEvent("stemtest:results"));
    });

    // A friend's share link: compared here, on this device.
    document.addEventListener("submit", (event) => {
      const form = event.target;
      if (!frame || !form.matches("#results [data-friend-form]")) return;
      event.preventDefault();
      const error = frame.querySelector("[data-friend-error]");
      const field = form.elements.link;
      const found = friendFrom(field.value);
      if (typeof found === "string") {
        friend = null;
        frame.querySelector("[data-friend-score]").hidden = true; // no result of another link
        for (const row of frame.querySelectorAll(".statement-results [data-stelling]")) {
          fillRow(row, order.indexOf(row.dataset.stelling));
        }
        error.textContent = found;
        error.hidden = false;
        field.setAttribute("aria-invalid", "true");
        field.focus();
        return;
      }
      error.hidden = true;
      field.removeAttribute("aria-invalid");
      friend = found;
      showFriend();
      frame.querySelector("[data-friend-score]").focus();
    });

    // "Bewaar en herbereken": the new answer counts at once, the row stays where it is.
    document.addEventListener("submit", (event) => {
      const form = event.target;
      if (!frame || !form.closest("#results .change")) return;
      event.preventDefault();
      const row = form.closest("[data-stelling]");
      const s = order.indexOf(row.dataset.stelling);
      const choice = form.querySelector("input[type=radio]:checked");
      if (!choice) {
        status(gettext("Kies eerst een antwoord."));
        return;
      }
      const answer = { choice: choice.value, important: form.querySelector("input[type=checkbox]").checked };
      answers.set(order[s], answer);
      compute();
      fillRow(row, s);
      scores();
      if (friend) showFriend();
      for (const note of frame.querySelectorAll("[data-row-score]")) note.hidden = true;
      const note = row.querySelector("[data-row-score]");
      note.replaceChildren(gettext("Je resultaat nu:") + " ", ...scoreBar().map((item) => (typeof item === "string" ? item : item.cloneNode(true))));
      note.hidden = !result.hasScore;
      form.closest("details").open = false;
      row.querySelector("summary").focus(); // the row, open still, where it was
      status(data.changed.replace("{number}", data.numbers[s]).replace("{answer}", Device.described(answer)));
      document.dispatchEvent(new CustomEvent("stemtest:results"));
    });
  }

  // Another result's link opened in this tab (pasted in the address bar, say): only the
  // fragment changes, the page does not load again.
  window.addEventListener("hashchange", () => {
    if (location.hash.startsWith(SCORES) || (!frame && Device.inFragment(location.hash))) {
      location.reload(); // another kind of page: start afresh
      return;
    }
    const payload = Device.inFragment(location.hash);
    if (!frame || !payload || payload === Device.serialise(answers, order)) return;
    answers = Device.parse(payload, order);
    view = viewFrom(new URL(location.href).searchParams);
    compute();
    rows();
    scores();
    document.dispatchEvent(new CustomEvent("stemtest:results"));
  });

  // --- Start --------------------------------------------------------------------------------

  async function start() {
    const url = new URL(location.href);
    const token = url.searchParams.get("a");
    const payload = Device.inFragment(url.hash) || (token ? token.split(":")[0] : "");
    const shared = url.hash.startsWith(SCORES) ? url.hash.slice(SCORES.length) : "";
    if (!payload && !shared) return; // no answers: the page as the server made it ("nog geen resultaat")
    let holder = await Device.fetchBundle(initial.dataset.bundle);
    // A copy from the browser's cache older than this page (an editor changed the quiz since):
    // ask again, past the cache.
    const stale = holder && holder.querySelector("#stellingen").dataset.version !== initial.dataset.version;
    if (stale) holder = await Device.fetchBundle(initial.dataset.bundle, "no-cache");
    const bundle = holder && holder.querySelector("#resultaten");
    if (!bundle) {
      if (!token) status(gettext("Je resultaat kon niet worden berekend: de stemtest kwam niet binnen. Laad de pagina opnieuw."));
      return;
    }
    data = JSON.parse(bundle.content.querySelector("#result-data").textContent);
    parts = Object.fromEntries(Array.from(bundle.content.querySelectorAll("template[data-part]"), (t) => [t.dataset.part, t]));
    order = data.statements.map(String);
    answers = Device.parse(payload, order);
    view = viewFrom(url.searchParams);
    const focused = initial.contains(document.activeElement);
    frame = bundle.content.querySelector("#results").cloneNode(true);
    frame.dataset.device = "true"; // computed here (what the browser tests wait for)
    if (shared && !payload) {
      showSharedScores(shared);
      initial.replaceWith(frame);
      return;
    }
    frame.querySelector("[data-friend-section]").hidden = false;
    frame.querySelector("[data-share-choice]").hidden = false;
    compute();
    rows();
    scores();
    initial.replaceWith(frame);
    if (focused) document.getElementById("inhoud").focus();
    document.dispatchEvent(new CustomEvent("stemtest:results"));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
