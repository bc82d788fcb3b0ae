/* With htmx the catalogue updates in place and the address follows; keep the language
   links pointing at the same filters. */
(function () {
  "use strict";
  document.addEventListener("htmx:pushedIntoHistory", function () {
    var search = window.location.search;
    document.querySelectorAll(".langs a[hreflang]").forEach(function (link) {
      link.setAttribute("href", link.getAttribute("href").split("?")[0] + search);
    });
  });
}());
