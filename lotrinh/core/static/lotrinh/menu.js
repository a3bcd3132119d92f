// The site menu on narrow screens: collapsed behind the Menu button, opened with a tap.
// Loaded in <head> so that the menu is collapsed before the first paint; without JavaScript the
// whole menu simply stays visible.
"use strict";
document.documentElement.classList.add("js-menu");
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("menu-button");
  var menu = document.getElementById("site-menu");
  if (!button || !menu) {
    return;
  }
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("open", open);
  });
});
