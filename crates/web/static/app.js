// dangwu: small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("submit", function (ev) {
  // Forms that change something irreversible ask first: <form data-confirm="…">.
  var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { ev.preventDefault(); }
});
document.addEventListener("change", function (ev) {
  // Filter selects submit their form at once: <select data-autosubmit>.
  if (ev.target.hasAttribute && ev.target.hasAttribute("data-autosubmit") && ev.target.form) { ev.target.form.submit(); }
});
