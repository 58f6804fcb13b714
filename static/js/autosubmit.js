// A control marked data-autosubmit sends its form as soon as it changes. Kept in a file, not
// in an onchange attribute: the Content-Security-Policy allows no inline script.
document.addEventListener("change", (event) => {
  const control = event.target.closest("[data-autosubmit]");
  if (control && control.form) control.form.requestSubmit();
});
