// Small progressive enhancements for the web admin; every page works without it.
(function () {
  "use strict";

  // Times are sent in UTC (<time datetime>); show them in the browser's zone.
  function localise(root) {
    var lang = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
    var format = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
    root.querySelectorAll("time[datetime]:not([data-local])").forEach(function (el) {
      var at = new Date(el.getAttribute("datetime"));
      if (isNaN(at.getTime())) return;
      el.title = el.textContent;
      el.textContent = format.format(at);
      el.setAttribute("data-local", "");
    });
  }
  // The menu page back from a save shows the category saved open
  // ([data-reveal]); a boosted page starts at the top, so bring it into view.
  function reveal(root) {
    var el = root.querySelector && root.querySelector("[data-reveal]");
    if (el) window.requestAnimationFrame(function () { el.scrollIntoView({ block: "nearest" }); });
  }
  if (window.htmx) {
    window.htmx.onLoad(localise);
    window.htmx.onLoad(reveal);
  } else {
    document.addEventListener("DOMContentLoaded", function () { localise(document); });
  }

  // Item form: modifier group and option rows are added from the page's
  // <template>s and removed in place. Without this script the same buttons
  // post the form and the server re-renders the rows.
  function nextIndex(list, attr) {
    var max = -1;
    list.querySelectorAll(":scope > [" + attr + "]").forEach(function (el) {
      var n = parseInt(el.getAttribute(attr), 10);
      if (n > max) max = n;
    });
    return max + 1;
  }
  function addFrom(templateId, list, replacements) {
    var template = document.getElementById(templateId);
    if (!template || !list) return;
    var html = template.innerHTML;
    Object.keys(replacements).forEach(function (key) {
      html = html.split(key).join(String(replacements[key]));
    });
    list.insertAdjacentHTML("beforeend", html);
    var added = list.lastElementChild;
    var input = added && added.querySelector("input:not([type=hidden])");
    if (input) input.focus();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-rows]");
    if (!button || !button.form) return;
    event.preventDefault();
    var group = button.closest("[data-group]");
    switch (button.getAttribute("data-rows")) {
      case "add-group": {
        var groups = button.form.querySelector("[data-groups]");
        addFrom("group-template", groups, { "__G__": nextIndex(groups, "data-group") });
        break;
      }
      case "add-option": {
        var options = group.querySelector("[data-options]");
        addFrom("option-template", options, {
          "__G__": group.getAttribute("data-group"),
          "__O__": nextIndex(options, "data-option"),
        });
        break;
      }
      case "remove-group":
        group.remove();
        break;
      case "remove-option":
        button.closest("[data-option]").remove();
        break;
    }
  });

  // Item form: a preview of the chosen photo before it is uploaded
  // (a data: URL, which the page's Content-Security-Policy allows).
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-preview]")) return;
    var img = document.getElementById(input.getAttribute("data-preview"));
    var file = input.files && input.files[0];
    if (!img || !file || !/^image\//.test(file.type)) return;
    var reader = new FileReader();
    reader.onload = function () {
      img.src = reader.result;
      img.hidden = false;
    };
    reader.readAsDataURL(file);
  });

  // Live pages (board, order list, order detail): show whether the event
  // stream is connected, and fetch the live part again on every (re)connect,
  // since events sent while the stream was down are not replayed to it.
  document.addEventListener("htmx:sseOpen", function (event) {
    var live = event.target;
    live.setAttribute("data-live", "open");
    if (!window.htmx) return;
    live.querySelectorAll("[data-refresh-on-open]").forEach(function (part) {
      window.htmx.trigger(part, "live-refresh");
    });
  });
  // Order page: the outlet's stream carries every order's events; its body
  // is fetched again only for those naming this order.
  var watched = new WeakSet();
  document.addEventListener("htmx:sseOpen", function (event) {
    var source = event.detail && event.detail.source;
    var body = event.target.querySelector("[data-order-events]");
    if (!source || !body || watched.has(source)) return;
    watched.add(source);
    var id = body.getAttribute("data-order-id");
    body.getAttribute("data-order-events").split(",").forEach(function (kind) {
      source.addEventListener(kind, function (message) {
        if (window.htmx && typeof message.data === "string" && message.data.indexOf(id) !== -1) {
          window.htmx.trigger(body, "order-changed");
        }
      });
    });
  });
  document.addEventListener("htmx:sseError", function (event) {
    event.target.setAttribute("data-live", "closed");
  });
})();
