// Service worker for Closer. Served by core.views.service_worker at /sw.js, which puts
// SHELL (the app shell's addresses, the offline page first) and VERSION above this line.
//
// It keeps only the app shell. Pages and everything else always come from the network and
// are never stored, because journal pages hold the most private writing people have.
/* global SHELL, VERSION */
"use strict";

var CACHE = "closer-shell-" + VERSION;
var OFFLINE_URL = SHELL[0];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) { return cache.addAll(SHELL); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("closer-shell-") === 0 && name !== CACHE;
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === "navigate") {
    // Pages: network only; when it fails, the offline page from the shell.
    event.respondWith(fetch(request).catch(function () {
      return caches.match(OFFLINE_URL);
    }));
    return;
  }
  if (SHELL.indexOf(url.pathname) !== -1 && url.pathname !== OFFLINE_URL) {
    // Shell files: the kept copy at once, refreshed from the network for next time.
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (cached) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) cache.put(request, response.clone());
          return response;
        });
        event.waitUntil(fresh.catch(function () {}));
        return cached || fresh;
      });
    }));
  }
  // Anything else is left to the browser and the network, and is not stored.
});

// Browser notifications -------------------------------------------------------------------
// nudges/push.py sends {title, body, url}; a newer nudge replaces an older one still shown.
var NUDGE_TAG = "closer-nudge";
var ICON = SHELL.filter(function (path) { return path.indexOf("icon-192") !== -1; })[0];

// Only pages of this site open from a notification, whatever a payload says.
function sameOriginUrl(url) {
  try {
    var parsed = new URL(url || "/", self.location.origin);
    return parsed.origin === self.location.origin ? parsed.href : self.location.origin + "/";
  } catch (e) {
    return self.location.origin + "/";
  }
}

self.addEventListener("push", function (event) {
  var nudge = {};
  try { nudge = event.data ? event.data.json() : {}; } catch (e) { nudge = {}; }
  event.waitUntil(self.registration.showNotification(nudge.title || "Closer", {
    body: nudge.body || "",
    icon: ICON,
    tag: NUDGE_TAG,
    data: { url: sameOriginUrl(nudge.url) },
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || sameOriginUrl("/");
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === url && "focus" in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow(url);
    })
  );
});
