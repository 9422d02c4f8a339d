// Small progressive enhancements for the web admin; every page works without it.
// Times are sent in UTC (<time datetime>); show them in the browser's zone.
(function () {
  "use strict";
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
  if (window.htmx) {
    window.htmx.onLoad(localise);
  } else {
    document.addEventListener("DOMContentLoaded", function () { localise(document); });
  }
})();
