// The phone's header: one line (the name, the notifications, a Menu button) with the navigation
// folded behind the button. Loaded in <head> without defer so that the "js" class is set before
// the page is drawn: without JavaScript the class is missing and the navigation stays open.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var button = document.querySelector(".menu-button");
  var menu = document.getElementById("site-menu");
  if (!button || !menu) { return; }
  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    document.documentElement.classList.toggle("menu-open", open);
  }
  button.addEventListener("click", function () { set(button.getAttribute("aria-expanded") !== "true"); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") { set(false); button.focus(); }
  });
});
