// A create form's one-time token survives the back button (samverkan/web/once.py, docs/web.md).
// The app's pages are not cached (Cache-Control: no-store), so going back to a form that was
// sent fetches it again, with a new token, and the browser puts back what was typed: sent
// again, it would store a second record. So a form, when sent, notes its token in the state of
// the history entry it was sent from; coming back to that very entry (back or forward) puts the
// token back, and the server answers a second sending as a repeat. The state belongs to the
// entry, not the address: another visit of the same page, sent or not, keeps its own new token
// (a form opened anew and reached again by back stores what it is given). Without JavaScript
// the token still stops a double click and a resent POST; only this case is unprotected.
(function () {
  "use strict";
  var fields = document.querySelectorAll('form input[name="once"]');
  if (!fields.length) {
    return;
  }
  var KEY = "samverkanOnce";
  var state = window.history.state;
  var sent = state && typeof state === "object" && state[KEY] ? state[KEY] : {};
  fields.forEach(function (field, index) {
    if (typeof sent[index] === "string" && sent[index]) {
      field.value = sent[index];
    }
    field.form.addEventListener("submit", function () {
      try {
        var current = window.history.state;
        var next = current && typeof current === "object" ? Object.assign({}, current) : {};
        next[KEY] = Object.assign({}, next[KEY] || {});
        next[KEY][index] = field.value;
        window.history.replaceState(next, "");
      } catch (e) {
        // No history state (a sandboxed frame): the form keeps its new token.
      }
    });
  });
})();
