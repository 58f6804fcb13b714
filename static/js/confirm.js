// Buttons with data-confirm ask before they submit (submitting a report, closing a period,
// approving from the list). Without JavaScript they submit at once: each of these steps can be
// undone (a submitted report is returned by the unit above, a closed period is opened again).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
