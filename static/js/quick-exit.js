// "Exit quickly": the tab leaves for a neutral site at once (settings.QUICK_EXIT_URL, in the
// page's <meta name="quick-exit">), from any [data-quick-exit] link or by pressing Escape
// three times within 1.5 seconds. location.replace() puts the neutral site in place of this
// page in the tab's history, so Back does not bring it back.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="quick-exit"]');
  if (!meta || !meta.content) return;
  var target = meta.content;
  var WINDOW_MS = 1500;
  var presses = [];

  function leave() {
    document.documentElement.hidden = true; // nothing of the page stays on screen meanwhile
    document.title = "";
    window.location.replace(target);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (!link) return;
    event.preventDefault();
    leave();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    presses = presses.filter(function (at) { return now - at < WINDOW_MS; });
    presses.push(now);
    if (presses.length >= 3) leave();
  });
})();
