/* Sciatica Care: on the sign-up form, pre-select the browser's time zone in the time zone
   list, unless the person has chosen one already (a form sent back with an error keeps the
   choice: the server then leaves out data-guess-zone). Without this file the list stays on
   UTC and the person picks their zone by hand. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("select[data-guess-zone]");
    if (!select || !window.Intl || !Intl.DateTimeFormat) { return; }
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) { return; }
    for (var i = 0; i < select.options.length; i += 1) {
      if (select.options[i].value === zone) {
        select.value = zone;
        return;
      }
    }
  });
})();
