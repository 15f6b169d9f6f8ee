// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Time zone pickers default to the browser's zone while the user has not chosen one.
  function defaultTimeZones() {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    document.querySelectorAll("select[data-browser-time-zone]").forEach(function (select) {
      if (select.dataset.userChosen || select.value !== "UTC" || !zone) return;
      if (select.querySelector('option[value="' + zone + '"]')) select.value = zone;
    });
  }

  document.addEventListener("DOMContentLoaded", defaultTimeZones);
})();
