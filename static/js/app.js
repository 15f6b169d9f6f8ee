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

  // Every way to log out, on any page: what this device keeps of someone goes with them.
  var LOGOUT_FORMS = 'form[action*="logout"]';

  // Drafts -----------------------------------------------------------------------------------
  // A form with data-draft-key keeps what the user changed in localStorage as they type, so a
  // lost connection or a closed tab loses nothing. Only fields that differ from what the
  // server rendered are kept, so a draft never overwrites today's date with an old one.
  //
  // When is a draft done with? Not on submit: the request may fail (offline), and then the
  // words would be gone. On submit we note the key in sessionStorage; the next page in this
  // tab clears the draft only if it shows a success message (every journal save redirects to
  // one). A page re-rendered with errors marks its form data-draft-bound and keeps the draft,
  // without restoring over the text the server sent back.
  //
  // A draft also keeps a fingerprint of what the page showed in each field it changed. It is
  // restored only onto a page that still shows that: where the saved text changed since (on
  // another device, in another tab), it is offered instead, so it never replaces newer words
  // unseen. While it is offered, typing in the form does not replace it.
  //
  // Forms htmx sends and swaps (a lesson's reflection) work the same way: the listeners sit
  // on the document, so a form swapped in is covered too; a request sent from a draft form or
  // one of its buttons notes the key, and the swapped-in content clears the draft only if it
  // confirms the save (data-draft-saved). Words typed while such a request is on its way are
  // not what it sent: once its answer is swapped in, they are put back into the form and kept
  // as its draft, whatever the swap replaced.
  var DRAFT_PREFIX = "closer:draft:";
  var PENDING = "closer:draft-pending";

  function storage(kind) {
    try { return window[kind]; } catch (e) { return null; }
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" &&
        !/^(hidden|password|file|submit|button|reset)$/.test(el.type);
    });
  }

  // {name: value} for text-like fields, {name: [checked values]} for checkboxes and radios.
  function fieldValues(form, useDefaults) {
    var values = {};
    draftFields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        values[el.name] = values[el.name] || [];
        if (useDefaults ? el.defaultChecked : el.checked) values[el.name].push(el.value);
      } else if (el.tagName === "SELECT") {
        var chosen = Array.prototype.filter.call(el.options, function (o) {
          return useDefaults ? o.defaultSelected : o.selected;
        }).map(function (o) { return o.value; });
        // Without a selected attribute a single select starts on its first option.
        if (useDefaults && !chosen.length && !el.multiple && el.options.length) {
          chosen = [el.options[0].value];
        }
        values[el.name] = chosen.join("\n");
      } else {
        values[el.name] = useDefaults ? el.defaultValue : el.value;
      }
    });
    return values;
  }

  function changedValues(form) {
    var now = fieldValues(form, false);
    var before = fieldValues(form, true);
    var changed = {};
    Object.keys(now).forEach(function (name) {
      if (JSON.stringify(now[name]) !== JSON.stringify(before[name])) changed[name] = now[name];
    });
    return changed;
  }

  // A short fingerprint of a value: enough to tell whether a field still shows the same.
  function fingerprint(value) {
    var text = JSON.stringify(value), hash = 5381;
    for (var i = 0; i < text.length; i++) hash = (hash * 33 + text.charCodeAt(i)) | 0;
    return (hash >>> 0).toString(36);
  }

  function shownFingerprints(form, names) {
    var shown = fieldValues(form, true), prints = {};
    names.forEach(function (name) {
      if (name in shown) prints[name] = fingerprint(shown[name]);
    });
    return prints;
  }

  function saveDraft(form) {
    var local = storage("localStorage");
    if (!local || form.dataset.draftOffered) return;
    var key = DRAFT_PREFIX + form.dataset.draftKey;
    var changed = changedValues(form);
    var shown = shownFingerprints(form, Object.keys(changed));
    try {
      if (Object.keys(changed).length) {
        var draft = { savedAt: new Date().toISOString(), fields: changed, shown: shown };
        local.setItem(key, JSON.stringify(draft));
      } else {
        local.removeItem(key);
      }
    } catch (e) { /* storage full or blocked: the form still works */ }
  }

  function applyDraft(form, fields) {
    var applied = false;
    draftFields(form).forEach(function (el) {
      if (!(el.name in fields)) return;
      var value = fields[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = value.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = value.split("\n").indexOf(o.value) !== -1;
        });
      } else {
        el.value = value;
      }
      var details = el.closest("details");
      if (details) details.open = true;
      applied = true;
    });
    return applied;
  }

  function whenText(iso) {
    var saved = new Date(iso);
    var sameDay = saved.toDateString() === new Date().toDateString();
    var options = sameDay
      ? { hour: "2-digit", minute: "2-digit" }
      : { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
    return new Intl.DateTimeFormat(undefined, options).format(saved);
  }

  // A notice above the form about its draft: words around the draft's time, then buttons.
  function draftNotice(form, savedAt, before, after) {
    var notice = document.createElement("div");
    notice.className = "draft-notice";
    notice.setAttribute("role", "status");
    var text = document.createElement("p");
    var time = document.createElement("time");
    time.dateTime = savedAt;
    time.textContent = whenText(savedAt);
    text.append(before, time, after);
    notice.append(text);
    form.parentNode.insertBefore(notice, form);
    return notice;
  }

  function noticeButton(notice, label, onClick) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button secondary";
    button.textContent = label;
    button.addEventListener("click", onClick);
    notice.append(button);
  }

  function draftDiscarded(form, notice) {
    storage("localStorage").removeItem(DRAFT_PREFIX + form.dataset.draftKey);
    notice.replaceChildren(Object.assign(document.createElement("p"), {
      textContent: "Draft discarded.",
    }));
    // The focused button is gone: keep focus here rather than back at the page's top.
    notice.tabIndex = -1;
    notice.focus();
  }

  function showRestoredNotice(form, savedAt) {
    var notice = draftNotice(form, savedAt, "We restored your unsaved draft from ", ".");
    noticeButton(notice, "Discard draft", function () {
      form.reset();
      draftDiscarded(form, notice);
    });
  }

  // A draft whose words the page already shows (saved, though this device never heard so).
  function alreadySaved(form, draft) {
    var shown = fieldValues(form, true);
    return Object.keys(draft.fields).every(function (name) {
      return !(name in shown) || JSON.stringify(shown[name]) === JSON.stringify(draft.fields[name]);
    });
  }

  // A draft typed over what the page shows now in every field it changed, or put in a field
  // the page shows empty, where it replaces nothing: a new entry's form restores a draft
  // kept before drafts had fingerprints, as it did then (elsewhere such a draft is offered).
  function madeOnThisPage(form, draft) {
    var shown = fieldValues(form, true);
    return Object.keys(draft.fields).every(function (name) {
      if (!(name in shown) || !shown[name].length) return true;
      return Boolean(draft.shown) && draft.shown[name] === fingerprint(shown[name]);
    });
  }

  function offerDraft(form, draft) {
    form.dataset.draftOffered = "true";
    var notice = draftNotice(form, draft.savedAt, "You have words from ",
      " on this device that were not sent, and what is saved here changed since then.");
    noticeButton(notice, "Use my words from then", function () {
      delete form.dataset.draftOffered;
      applyDraft(form, draft.fields);
      saveDraft(form);
      notice.remove();
      showRestoredNotice(form, draft.savedAt);
    });
    noticeButton(notice, "Discard them", function () {
      delete form.dataset.draftOffered;
      draftDiscarded(form, notice);
      saveDraft(form);  // what was typed here meanwhile
    });
  }

  function restoreDraft(form) {
    var local = storage("localStorage");
    var raw = local && local.getItem(DRAFT_PREFIX + form.dataset.draftKey);
    if (!raw || form.dataset.draftBound === "true") return;
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { return; }
    if (!draft || !draft.fields) return;
    if (alreadySaved(form, draft)) {
      local.removeItem(DRAFT_PREFIX + form.dataset.draftKey);
    } else if (!madeOnThisPage(form, draft)) {
      offerDraft(form, draft);
    } else if (applyDraft(form, draft.fields)) {
      showRestoredNotice(form, draft.savedAt);
    }
  }

  function finishPendingDraft(root) {
    var session = storage("sessionStorage");
    var pending = session && session.getItem(PENDING);
    if (!pending) return;
    session.removeItem(PENDING);
    if (root.querySelector(".message.success, [data-draft-saved]")) {
      storage("localStorage").removeItem(DRAFT_PREFIX + pending);
    }
  }

  function draftFormOf(el) {
    var form = el && (el.form || el.closest("form"));
    return form && form.dataset.draftKey ? form : null;
  }

  function noteDraftSent(form) {
    if (form.dataset.draftOffered) return;  // the words offered are not what is sent
    saveDraft(form);
    var session = storage("sessionStorage");
    if (session) session.setItem(PENDING, form.dataset.draftKey);
  }

  // Draft key -> what its form held when htmx sent it; then, as the answer comes, what was
  // typed in it since.
  var sentValues = {};
  var typedSince = {};

  function noteTypedSince() {
    Object.keys(sentValues).forEach(function (key) {
      var form = document.querySelector('form[data-draft-key="' + CSS.escape(key) + '"]');
      var now = form ? fieldValues(form, false) : {};
      var newer = {};
      Object.keys(now).forEach(function (name) {
        var sent = sentValues[key][name];
        if (JSON.stringify(now[name]) !== JSON.stringify(sent)) newer[name] = now[name];
      });
      if (Object.keys(newer).length) typedSince[key] = newer;
    });
    sentValues = {};
  }

  function putBackTypedSince() {
    Object.keys(typedSince).forEach(function (key) {
      var form = document.querySelector('form[data-draft-key="' + CSS.escape(key) + '"]');
      if (form && applyDraft(form, typedSince[key])) saveDraft(form);
    });
    typedSince = {};
  }

  function clearAllDrafts() {
    var local = storage("localStorage");
    if (!local) return;
    Object.keys(local).forEach(function (key) {
      if (key.indexOf(DRAFT_PREFIX) === 0) local.removeItem(key);
    });
  }

  function setUpDrafts() {
    finishPendingDraft(document);
    // Drafts stay on this device only while someone is signed in to it.
    if (document.querySelector("[data-clear-drafts]")) clearAllDrafts();
    document.querySelectorAll(LOGOUT_FORMS).forEach(function (form) {
      form.addEventListener("submit", clearAllDrafts);
    });
    document.querySelectorAll("form[data-draft-key]").forEach(restoreDraft);
    var save = function (event) {
      var form = draftFormOf(event.target);
      if (form) saveDraft(form);
    };
    document.addEventListener("input", save);
    document.addEventListener("change", save);
    document.addEventListener("submit", function (event) {
      var form = draftFormOf(event.target);
      if (form) noteDraftSent(form);
    });
    document.addEventListener("htmx:beforeRequest", function (event) {
      var form = draftFormOf(event.detail.elt);
      if (!form) return;
      noteDraftSent(form);
      sentValues[form.dataset.draftKey] = fieldValues(form, false);
    });
    document.addEventListener("htmx:afterRequest", function (event) {
      // A request that failed saved nothing: forget that its draft was sent, so that a
      // success shown later for something else does not delete it.
      var session = storage("sessionStorage");
      if (!event.detail.successful && session) session.removeItem(PENDING);
      sentValues = {};
      typedSince = {};
    });
    document.addEventListener("htmx:beforeSwap", noteTypedSince);
    document.addEventListener("htmx:afterSwap", function (event) {
      var swapped = event.detail.target;
      finishPendingDraft(swapped);
      swapped.querySelectorAll("form[data-draft-key]").forEach(restoreDraft);
      putBackTypedSince();
    });
  }

  // A print button where the page offers one (hidden without this file).
  function setUpPrint() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // Share sheet: a button with data-share-text (or data-share-from, the id of a field whose
  // text to send) opens the phone's share sheet, or copies the text where there is none.
  // With data-share-then (a form's id), that form is submitted once the text has gone.
  function shareText(button) {
    var from = button.dataset.shareFrom && document.getElementById(button.dataset.shareFrom);
    if (!from) return button.dataset.shareText;
    return from.value !== undefined ? from.value : from.textContent;
  }

  function shared(button, how) {
    var status = button.parentNode.querySelector("[data-share-status]");
    if (status) status.textContent = how === "copied" ? "Copied. Paste it where you talk." : "";
    var then = button.dataset.shareThen && document.getElementById(button.dataset.shareThen);
    if (then) then.submit();
  }

  function setUpShare() {
    document.querySelectorAll("[data-share-text], [data-share-from]").forEach(function (button) {
      var canShare = typeof navigator.share === "function";
      var canCopy = navigator.clipboard && window.isSecureContext;
      if (!canShare && !canCopy) return;
      if (!canShare && button.dataset.copyLabel) button.textContent = button.dataset.copyLabel;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = shareText(button);
        if (canShare) {
          navigator.share({ text: text }).then(function () { shared(button, "shared"); },
            function () { /* closed without sending: nothing to do */ });
        } else {
          navigator.clipboard.writeText(text).then(function () { shared(button, "copied"); });
        }
      });
    });
  }

  // Logging out stops this browser's notifications too, so the next person at a shared
  // computer sees none of the reminders of someone who has gone: the browser forgets its
  // subscription and the form tells the server which one it was (nudges/push.py). Whatever
  // fails or takes long, the logout still goes ahead.
  function stopPushOnLogout(form) {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = "push_endpoint";
    form.appendChild(field);
    var sent = false;
    function send() {
      if (sent) return;
      sent = true;
      form.submit();  // submit() fires no submit event: this handler does not run again
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.setTimeout(send, 3000);
      navigator.serviceWorker.getRegistration().then(function (reg) {
        return reg && reg.pushManager ? reg.pushManager.getSubscription() : null;
      }).then(function (subscription) {
        if (!subscription) return null;
        field.value = subscription.endpoint;
        return subscription.unsubscribe();
      }).catch(function () { /* log out all the same */ }).then(send);
    });
  }

  // Installable app: the service worker keeps the app shell and an offline page.
  function registerServiceWorker() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register("/sw.js").catch(function () { /* the site works without */ });
  }

  // After an htmx swap ------------------------------------------------------------------------
  // A swap that removes the focused button (a form replaced by its result) leaves keyboard and
  // screen-reader users on <body>, back at the top of the page. htmx focuses an [autofocus]
  // control in the new content, the one that replaced the button; where there is none, focus
  // goes to the first field the server marked invalid, else to a message marked
  // data-focus-after-swap, so the error or the result is what is read out next.
  var FOCUS_AFTER_SWAP = ['[aria-invalid="true"]', "[data-focus-after-swap]"];

  function focusAfterSwap(event) {
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    for (var i = 0; i < FOCUS_AFTER_SWAP.length; i++) {
      var next = event.target.querySelector(FOCUS_AFTER_SWAP[i]);
      if (next) {
        if (!next.hasAttribute("tabindex") && next.tabIndex < 0) next.tabIndex = -1;
        next.focus();
        return;
      }
    }
  }

  document.addEventListener("htmx:afterSettle", focusAfterSwap);

  document.addEventListener("DOMContentLoaded", function () {
    defaultTimeZones();
    setUpDrafts();
    setUpPrint();
    setUpShare();
    registerServiceWorker();
    document.querySelectorAll(LOGOUT_FORMS).forEach(stopPushOnLogout);
  });
})();
