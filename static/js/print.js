// The printable report's "Print" button (the browser's own print command does the same).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
