/* Partnernet's one shared script, small on purpose; every page works without it.
   - The menu: on a narrow screen the header's menu collapses behind a disclosure button
     (aria-expanded tells its state). Without the script the button stays hidden and the menu
     is shown, as on a wide screen.
   - Confirmation: a form (or its submit button) with data-confirm="…" asks before it is sent;
     the message is written, translated, into the attribute. Without the script the form is
     simply sent. */
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  var header = document.querySelector(".site-header");
  if (toggle && header) {
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-closed", !open);
    };
    toggle.hidden = false;
    setOpen(false);
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true"
          && window.getComputedStyle(toggle).display !== "none") {
        setOpen(false);
        toggle.focus();
      }
    });
  }
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm"))
      || event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopPropagation();  // caught first (capture), so htmx on the form never sends it
    }
  }, true);
})();
