// Review page helpers; the page works without them (links jump between rows and sentences).
// - Focusing or clicking a row highlights its sentence and scrolls the document to it.
// - On a row's tick box, "a" accepts and "r" rejects, then focus moves to the next row.
// - Enter in a field never submits (the disabled first button already stops it without JS).
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form) return;
  var documentBox = form.querySelector(".document");

  function showSource(number) {
    var anchor = document.getElementById("src-" + number);
    if (!anchor || !documentBox) return;
    var mark = anchor.closest("mark");
    form.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
    mark.classList.add("active");
    var offset = mark.getBoundingClientRect().top - documentBox.getBoundingClientRect().top;
    documentBox.scrollTop += offset - 40;
  }

  function rowOf(element) { return element.closest ? element.closest("tr.proposal") : null; }

  form.addEventListener("focusin", function (event) {
    var row = rowOf(event.target);
    if (row) showSource(row.dataset.number);
  });
  form.addEventListener("click", function (event) {
    var row = rowOf(event.target);
    if (row) showSource(row.dataset.number);
    var number = event.target.closest("a.number");
    if (number && row) {
      // Stay on the row; show the sentence without changing the address (no stale :target).
      event.preventDefault();
      document.getElementById("src-" + row.dataset.number).closest("mark")
        .scrollIntoView({ block: "nearest" });
    }
    var ref = event.target.closest("a.ref");
    if (ref) {
      var box = document.querySelector(ref.getAttribute("href") + " input.accept");
      if (box) { event.preventDefault(); box.focus(); box.scrollIntoView({ block: "nearest" }); }
    }
  });
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target.matches("input:not([type=submit]), select")) {
      event.preventDefault();
      return;
    }
    if ((event.key === "a" || event.key === "r") && target.matches("input.accept")
        && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      target.checked = event.key === "a";
      var next = rowOf(target).nextElementSibling;
      var box = next && next.querySelector("input.accept");
      if (box) box.focus();
    }
  });
})();
