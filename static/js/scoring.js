// Stemtest's scoring (docs/method.md) on the voter's device: the same arithmetic as
// quiz/scoring.py, line for line, so that a result computed here equals the server's.
// tests/test_scoring_parity.py runs one table of cases through both.
//
// Codes: AGREE 1, NEUTRAL 0, DISAGREE -1; NONE 9 for a skipped statement (voter) or "geen
// standpunt" (party). points = 2 - |voter - party|; a belangrijk statement weighs 2.
// Percentages are whole numbers rounded half up with integer arithmetic.
(() => {
  "use strict";

  const AGREE = 1;
  const NEUTRAL = 0;
  const DISAGREE = -1;
  const NONE = 9;

  function roundPercentage(earned, possible) {
    if (possible === 0) return null;
    return Math.floor((200 * earned + possible) / (2 * possible));
  }

  // answers: [S] codes; important: [S] booleans; stances: [S][P] codes.
  function score(answers, important, stances) {
    const parties = stances.length ? stances[0].length : 0;
    const earned = new Array(parties).fill(0);
    const possible = new Array(parties).fill(0);
    const used = new Array(parties).fill(0);
    const points = [];
    answers.forEach((voter, s) => {
      const weight = voter === NONE ? 0 : important[s] ? 2 : 1;
      points.push(
        stances[s].map((party, p) => {
          if (voter === NONE || party === NONE) return null;
          const earnedHere = 2 - Math.abs(voter - party);
          earned[p] += weight * earnedHere;
          possible[p] += weight * 2;
          used[p] += 1;
          return earnedHere;
        }),
      );
    });
    return { points, earned, possible, used, percentages: earned.map((e, p) => roundPercentage(e, possible[p])) };
  }

  // Whole percentages per group (theme) and party: groups[s] is statement s's group.
  function byGroup(answers, important, stances, groups, count) {
    const parties = stances.length ? stances[0].length : 0;
    const earned = Array.from({ length: count }, () => new Array(parties).fill(0));
    const possible = Array.from({ length: count }, () => new Array(parties).fill(0));
    answers.forEach((voter, s) => {
      if (voter === NONE) return;
      const weight = important[s] ? 2 : 1;
      stances[s].forEach((party, p) => {
        if (party === NONE) return;
        earned[groups[s]][p] += weight * (2 - Math.abs(voter - party));
        possible[groups[s]][p] += weight * 2;
      });
    });
    return earned.map((row, g) => row.map((e, p) => roundPercentage(e, possible[g][p])));
  }

  // Python's str.casefold for the names parties have: lower case, ß as ss.
  function casefold(name) {
    return name.toLowerCase().replace(/ß/g, "ss");
  }

  function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  // Parties from best to worst: equal percentages share a rank and are tied ("gelijk"); within
  // a tie, and among parties without a score (last), by name.
  function rank(percentages, names) {
    const order = percentages
      .map((_, index) => index)
      .sort(
        (i, j) =>
          (percentages[i] === null) - (percentages[j] === null) ||
          (percentages[j] ?? 0) - (percentages[i] ?? 0) ||
          compare(casefold(names[i]), casefold(names[j])) ||
          i - j,
      );
    const counts = new Map();
    for (const value of percentages) if (value !== null) counts.set(value, (counts.get(value) || 0) + 1);
    let previous = null;
    let current = 0;
    return order.map((index, position) => {
      const value = percentages[index];
      if (value === null) return { index, percentage: null, rank: null, tied: false };
      if (value !== previous) {
        current = position + 1;
        previous = value;
      }
      return { index, percentage: value, rank: current, tied: counts.get(value) > 1 };
    });
  }

  window.StemtestScoring = { AGREE, NEUTRAL, DISAGREE, NONE, roundPercentage, score, byGroup, rank };
})();
