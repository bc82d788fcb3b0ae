/* The application page: the section navigation starts folded on narrow screens (it is open
   without script, and on wide screens, where it stays in view beside the page), and after htmx
   has updated a section in place the focus goes where the server marked it (the form to add
   another line, or the section's heading after a removal), without scrolling. No inline
   script: CSP. */
(function () {
  "use strict";
  var nav = document.getElementById("section-nav");
  if (nav && window.matchMedia && !window.matchMedia("(min-width: 64rem)").matches) {
    nav.open = false;
  }
  if (nav) {
    nav.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a");
      if (link && window.matchMedia && !window.matchMedia("(min-width: 64rem)").matches) {
        nav.open = false;
      }
    });
  }
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-htmx-focus]");
    if (!target) { return; }
    target.removeAttribute("data-htmx-focus");
    try { target.focus({ preventScroll: true }); } catch (e) { target.focus(); }
  });
})();
