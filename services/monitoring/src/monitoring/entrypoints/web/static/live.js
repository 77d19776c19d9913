// The page of incoming notices updates itself: every few seconds it asks the service whether
// anything changed (204: nothing) and, if so, puts the new list in place and says how many
// notices are new in a polite live region. Served by the service itself; no library.
(function () {
  "use strict";
  var feed = document.querySelector("[data-live-feed]");
  var status = document.getElementById("live-status");
  if (!feed || !status || !window.fetch) { return; }
  var every = Number(feed.getAttribute("data-poll-seconds") || "5") * 1000;

  function ids(root) {
    var found = {};
    root.querySelectorAll("[data-notice-id]").forEach(function (row) {
      found[row.getAttribute("data-notice-id")] = true;
    });
    return found;
  }

  function replace(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var fresh = holder.content.querySelector("[data-live-feed]");
    if (!fresh) { return; }
    var before = ids(feed);
    var arrived = 0;
    fresh.querySelectorAll("[data-notice-id]").forEach(function (row) {
      if (!before[row.getAttribute("data-notice-id")]) { row.classList.add("arrived"); arrived += 1; }
    });
    feed.replaceChildren.apply(feed, Array.prototype.slice.call(fresh.childNodes));
    feed.setAttribute("data-seen", fresh.getAttribute("data-seen"));
    status.textContent = arrived === 1 ? "1 new notice has arrived." :
      arrived > 1 ? arrived + " new notices have arrived." : "The notices were updated.";
  }

  function poll() {
    var url = feed.getAttribute("data-source") + "?seen=" + encodeURIComponent(feed.getAttribute("data-seen"));
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.redirected) {
          status.textContent = "Your session has ended: sign in again to see new notices.";
          return null;
        }
        if (response.status === 200) { return response.text().then(replace); }
        return undefined;
      })
      .then(function (stop) { if (stop !== null) { window.setTimeout(poll, every); } })
      .catch(function () {
        status.textContent = "The service cannot be reached; trying again.";
        window.setTimeout(poll, every);
      });
  }

  window.setTimeout(poll, every);
})();
