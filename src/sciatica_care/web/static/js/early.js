/* Sciatica Care: the one script that runs before the page is drawn (it is tiny and blocking on
   purpose). It marks the page as having script, so the styles for scripted pages (the wizard's
   one step at a time, controls only a script uses) apply from the first paint instead of moving
   the page once the deferred scripts run. Without script the class stays "no-js". */
document.documentElement.classList.replace("no-js", "js");

/* Should wizard.js never arrive, the wizard does not stay folded on its first step: after a few
   seconds every step shows, as the long form (its last button sends it). */
window.setTimeout(function () {
  var wizard = document.getElementById("wizard");
  if (wizard) { wizard.classList.add("wizard--ready"); }
}, 4000);
