// The page that waits for a report file. It asks the same address again every few
// seconds with HEAD (so that a finished file is not fetched twice): 202 means still
// waiting, and the X-Report-State/X-Report-Notice headers say whether the status shown
// is out of date, in which case the status region is refreshed in place (a screen reader
// announces it). 200 starts the download; anything else opens the page that says what
// went wrong. Without JavaScript the page's "Ladda om nu" link does the same by hand;
// the page never reloads itself on a timer, as WCAG 2.2.1 asks.
(function () {
  "use strict";
  var status = document.getElementById("report-status");
  if (!status) {
    return;
  }
  var url = window.location.href;
  var delay = (Number(status.dataset.refresh) || 3) * 1000;
  var options = { credentials: "same-origin", cache: "no-store" };

  function refreshStatus(state, notice) {
    fetch(url, options)
      .then(function (response) {
        return response.status === 202 ? response.text() : "";
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("report-status");
        if (fresh) {
          status.innerHTML = fresh.innerHTML;
          status.dataset.state = state;
          status.dataset.notice = notice;
        }
      })
      .catch(function () {});
  }

  function poll() {
    fetch(url, Object.assign({ method: "HEAD" }, options))
      .then(function (response) {
        if (response.status === 202) {
          var state = response.headers.get("X-Report-State") || "";
          var notice = response.headers.get("X-Report-Notice") || "";
          if (state !== status.dataset.state || notice !== status.dataset.notice) {
            refreshStatus(state, notice);
          }
          window.setTimeout(poll, delay);
        } else if (response.ok) {
          status.textContent = status.dataset.ready;
          window.location.assign(url);
        } else {
          window.location.assign(url); // a GET: the page says what went wrong
        }
      })
      .catch(function () {
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
