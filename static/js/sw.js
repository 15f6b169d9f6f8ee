// Service worker for Closer. Served by selfhelp.views.service_worker at /sw.js, which puts
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
