// Stemtest: the translation functions the voter's scripts call, on every page.
//
// The texts in the scripts are in Dutch, the source language: gettext("Kies eerst een antwoord.").
// On a French or English page Django's catalogue (django.views.i18n.JavaScriptCatalog) comes
// first and defines window.django with the translations; on a Dutch page there is no catalogue,
// and this gives window.django the same functions without one: every text as it is written.
// Loaded after the catalogue and before the scripts that use it; the catalogue, were it to come
// later after all, would still replace these (they leave django.jsi18n_initialized unset).
//
// The scripts take the functions once, at the start: const { gettext, ngettext } = window.django.
// Only the names that xgettext knows (gettext, ngettext, pgettext, npgettext, gettext_noop) are
// found by `makemessages -d djangojs`; texts with values in them use interpolate() with named
// placeholders, never a template literal: interpolate(gettext("Stelling %(number)s"), { number }, true).
(() => {
  "use strict";

  const django = window.django || (window.django = {});
  if (django.jsi18n_initialized) return; // the catalogue is in: its functions stay

  const missing = {
    gettext: (msgid) => msgid,
    ngettext: (singular, plural, count) => (count == 1 ? singular : plural), // as the catalogue, ==
    gettext_noop: (msgid) => msgid,
    pgettext: (context, msgid) => msgid,
    npgettext: (context, singular, plural, count) => (count == 1 ? singular : plural),
    // Django's own: named, "%(name)s" from the object `obj`; otherwise each "%s" from the array
    // `obj`, in turn (which it empties, as Django's does).
    interpolate: (fmt, obj, named) =>
      named
        ? fmt.replace(/%\(\w+\)s/g, (match) => String(obj[match.slice(2, -2)]))
        : fmt.replace(/%s/g, () => String(obj.shift())),
  };
  for (const [name, fallback] of Object.entries(missing)) {
    if (typeof django[name] !== "function") django[name] = fallback;
  }
})();
