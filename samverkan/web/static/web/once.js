// A create form's one-time token survives the back button (samverkan/web/once.py, docs/web.md).
// The app's pages are not cached (Cache-Control: no-store), so going back to a form that was
// sent fetches it again, with a new token, and the browser puts back what was typed: sent
// again, it would store a second record. So each form remembers, for this tab, the token it
// was sent with; coming back to it (back or forward, not a new visit) puts that token back,
// and the server answers a second sending as a repeat. Without JavaScript the token still
// stops a double click and a resent POST; only this case is unprotected.
(function () {
  "use strict";
  var fields = document.querySelectorAll('form input[name="once"]');
  if (!fields.length) {
    return;
  }
  var entry = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  var returning = entry && entry.type === "back_forward";
  var page = "samverkan-once:" + window.location.pathname + window.location.search + ":";
  fields.forEach(function (field, index) {
    var key = page + index;
    try {
      var sent = returning ? window.sessionStorage.getItem(key) : null;
      if (sent) {
        field.value = sent;
      }
    } catch (e) {
      // No storage (a private window's settings): the form keeps its new token.
    }
    field.form.addEventListener("submit", function () {
      try {
        window.sessionStorage.setItem(key, field.value);
      } catch (e) {
        // As above.
      }
    });
  });
})();
