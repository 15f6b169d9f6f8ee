// Browser notifications for the daily reminder, on the reminder settings page only.
// Shown only where the browser can do it (service worker, Notification and PushManager);
// elsewhere the page offers email alone and works without this file.
(function () {
  "use strict";

  function supported() {
    return window.isSecureContext && "serviceWorker" in navigator &&
      "PushManager" in window && "Notification" in window;
  }

  // The VAPID public key arrives as base64url; the Push API wants its bytes.
  function keyBytes(base64url) {
    var base64 = (base64url + "===".slice((base64url.length + 3) % 4))
      .replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function csrfToken() {
    var field = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return field ? field.value : "";
  }

  // POST JSON; resolves with the reply's JSON, rejects unless the server said yes.
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    }).then(function (response) {
      // A redirect means the session ended (the login page), not success.
      if (!response.ok || response.redirected) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  function setUp(box) {
    var subscribeButton = box.querySelector("[data-push-subscribe]");
    var unsubscribeButton = box.querySelector("[data-push-unsubscribe]");
    var status = box.querySelector("[data-push-status]");

    function say(text) { status.textContent = text; }

    function show(subscribed) {
      subscribeButton.hidden = subscribed;
      unsubscribeButton.hidden = !subscribed;
      if (!subscribed && Notification.permission === "denied") {
        subscribeButton.disabled = true;
        say("Notifications are blocked for this site. Allow them in your browser's " +
          "site settings to get reminders here.");
      }
    }

    // The button pressed is disabled, then hidden, which drops keyboard focus to the top of
    // the page; the opposite button, shown in its place, takes it.
    function handOver(to) {
      var active = document.activeElement;
      if (!active || active === document.body || active === subscribeButton ||
        active === unsubscribeButton) to.focus();
    }

    // Keep the radio buttons in step with what the server now has, so saving keeps it.
    function choose(channel) {
      var radio = document.querySelector('input[name="channel"][value="' + channel + '"]');
      if (radio) radio.checked = true;
    }

    function registration() {
      return navigator.serviceWorker.register("/sw.js").then(function () {
        return navigator.serviceWorker.ready;
      });
    }

    function subscribe() {
      subscribeButton.disabled = true;
      say("");
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") {
          say("Notifications were not allowed, so your reminders keep coming as before.");
          subscribeButton.disabled = false;
          return null;
        }
        return registration().then(function (reg) {
          return reg.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: keyBytes(box.dataset.pushKey),
          });
        }).then(function (subscription) {
          return post(box.dataset.subscribeUrl, subscription.toJSON()).catch(function (error) {
            subscription.unsubscribe();  // the server does not know it: leave nothing behind
            throw error;
          });
        }).then(function (reply) {
          choose(reply.channel);
          show(true);
          handOver(unsubscribeButton);
          say(reply.message);
        });
      }).catch(function () {
        say("We could not turn on notifications in this browser. Please try again later.");
      }).then(function () {
        subscribeButton.disabled = Notification.permission === "denied";
      });
    }

    function unsubscribe() {
      unsubscribeButton.disabled = true;
      say("");
      registration().then(function (reg) {
        return reg.pushManager.getSubscription();
      }).then(function (subscription) {
        if (!subscription) return { message: "This browser does not show your reminders." };
        return post(box.dataset.unsubscribeUrl, { endpoint: subscription.endpoint })
          .catch(function () { return null; })  // unknown to us already: still stop it here
          .then(function (reply) {
            return subscription.unsubscribe().then(function () {
              return reply || { message: "This browser will no longer show your reminders." };
            });
          });
      }).then(function (reply) {
        if (reply.channel) choose(reply.channel);
        show(false);
        handOver(subscribeButton);
        say(reply.message);
      }).catch(function () {
        say("We could not turn off notifications in this browser. Please try again later.");
      }).then(function () {
        unsubscribeButton.disabled = false;
      });
    }

    subscribeButton.addEventListener("click", subscribe);
    unsubscribeButton.addEventListener("click", unsubscribe);
    registration().then(function (reg) {
      return reg.pushManager.getSubscription();
    }).then(function (subscription) {
      show(Boolean(subscription));
      box.hidden = false;
    }).catch(function () { /* no service worker here: email only */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-push-key]");
    if (box && supported()) setUp(box);
  });
})();
