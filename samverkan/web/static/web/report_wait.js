// The page that waits for a report file: asks the same address again every few seconds
// (HEAD, so that a finished file is not fetched twice) and starts the download once the
// file is there. Without JavaScript the page's "Ladda om nu" link does the same by hand;
// the page never refreshes itself, as WCAG 2.2.1 asks.
(function () {
  "use strict";
  var status = document.getElementById("report-status");
  if (!status) {
    return;
  }
  var url = window.location.href;
  var delay = (Number(status.dataset.refresh) || 3) * 1000;

  function poll() {
    fetch(url, { method: "HEAD", credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 202) {
          window.setTimeout(poll, delay);
        } else if (response.ok) {
          status.textContent = status.dataset.ready;
          window.location.assign(url);
        } else {
          window.location.reload(); // the page says what went wrong
        }
      })
      .catch(function () {
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
