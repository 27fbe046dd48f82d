// Continuity — small progressive enhancement. Every page works without this file.
// Loaded as an external script, so it runs under CSP `script-src 'self'`; no inline
// handlers, no eval. Listeners are delegated on the document, so they also cover
// content that htmx swaps in later.
(function () {
  "use strict";

  // <form data-confirm="Really delete?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var message = form.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Enter in a picker's search box searches (htmx follows the typing) instead of submitting
  // the whole form; without this file Enter submits it, which only refuses or saves a draft.
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !(input instanceof HTMLInputElement)) return;
    if (input.type !== "search" || !input.closest(".picker-search")) return;
    event.preventDefault();
    input.dispatchEvent(new Event("search", { bubbles: true }));
  });

  // <select data-autosubmit>: submit the enclosing form when the choice changes.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-autosubmit")) return;
    var form = select.form;
    if (!form) return;
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(); // fires the submit event (confirm, htmx) like a click would
    } else {
      form.submit();
    }
  });

  // <button class="flash-close"> inside a .flash: remove the message.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var button = target.closest("button.flash-close");
    if (!button) return;
    var flash = button.closest(".flash");
    if (flash) {
      event.preventDefault();
      flash.remove();
    }
  });

  // <a data-history-back href="…">: go back in history, so the form comes back as the browser
  // kept it (what was typed included); the link itself works without JavaScript.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var link = target.closest("a[data-history-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  // A request htmx sent for part of a page (a boosted search or filter) was refused as input:
  // show the refusal page in full instead of swapping nothing.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status === 422 && xhr.getResponseHeader("X-Input-Refused") && event.detail.boosted) {
      event.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL);
    }
  });

  // The close buttons are only useful with JavaScript: templates may render them with
  // the `hidden` attribute, and we reveal them here.
  function revealCloseButtons(root) {
    root.querySelectorAll(".flash button.flash-close[hidden]").forEach(function (b) {
      b.hidden = false;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { revealCloseButtons(document); });
  } else {
    revealCloseButtons(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target instanceof Element) revealCloseButtons(event.target);
  });
})();
