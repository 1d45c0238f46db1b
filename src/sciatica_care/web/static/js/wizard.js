/* The assessment wizard, enhanced: one step at a time, "None of these" that unticks the rest of
   its group (and back), and answers kept in this browser (localStorage) until the form is sent.
   The body map and "how did it go" need no script (checkboxes over the figure; CSS :has).
   After every answer the server triages the answers so far (POST data-check); when they
   already need emergency or urgent care, the form is sent at once and the person sees what to
   do now instead of the remaining questions. The both-legs question moves up to where both
   legs are first seen (this mirrors domain.assessment.both_legs).
   Without this file the wizard is one long form that posts and works the same; each step has
   its own "Check and continue" button. On the signed-out page ([data-forget-answers]) it only
   forgets the saved answers (the server also sends Clear-Site-Data, which not every browser
   honours, and none over plain http other than localhost). */
(function () {
  "use strict";
  var KEY = "sciatica-care:wizard:v1";

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("[data-forget-answers]")) {
      var saved = store();
      if (saved) { try { saved.removeItem(KEY); } catch (e) { /* storage off */ } }
    }
    var form = document.getElementById("wizard");
    if (!form) { return; }
    var steps = Array.prototype.slice.call(form.querySelectorAll(".wizard-step"));
    var stepList = document.getElementById("step-list");
    var progress = document.getElementById("progress-text");
    var back = document.getElementById("wizard-back");
    var next = document.getElementById("wizard-next");
    var submit = document.getElementById("wizard-submit");
    var current = 0;
    /* What the script says comes from the page, in its language (data-text-*). */
    function words(name, english) {
      return form.getAttribute("data-text-" + name) || english;
    }
    var defaultSubmit = document.getElementById("default-submit");
    if (defaultSubmit) { defaultSubmit.parentNode.removeChild(defaultSubmit); }

    /* ---------- body map: native checkboxes; this only says in words what is marked ---------- */
    var marked = document.getElementById("marked-list");
    function syncMap() {
      if (!marked) { return; }
      var names = [];
      form.querySelectorAll('input[name="area"]:checked').forEach(function (input) {
        names.push(input.getAttribute("aria-label") || input.value);
      });
      marked.hidden = false;
      marked.textContent = names.length
        ? words("marked", "Marked: {places}.").replace("{places}", names.join(", "))
        : words("nothing-marked", "Nothing marked yet.");
    }

    /* ---------- safety checklist: "None of these" and the questions of its group exclude each other ---------- */
    form.addEventListener("change", function (event) {
      var el = event.target;
      var group = el && el.closest ? el.closest(".checklist") : null;
      if (!group || !el.checked) { return; }
      var others = el.classList.contains("checklist__none") ? ".checklist__item" : ".checklist__none";
      group.querySelectorAll(others).forEach(function (box) { box.checked = false; });
    });

    /* ---------- both legs: mirrors domain.assessment.both_legs ---------- */
    var legRegions = (form.getAttribute("data-leg-regions") || "").split(" ");
    var footRegions = (form.getAttribute("data-foot-regions") || "").split(" ");
    var question = document.getElementById("both-legs-question");
    var listed = document.getElementById("both-legs-listed");
    var slots = {};
    form.querySelectorAll(".both-legs-slot").forEach(function (slot) {
      slots[slot.getAttribute("data-step-slot")] = slot;
    });
    function sideIsBoth() {
      var side = form.querySelector('input[name="side"]:checked');
      return !!(side && side.value === "both");
    }
    function bothLegs() {
      if (sideIsBoth()) { return true; }
      var neuropathy = form.querySelector('input[name="conditions"][value="peripheral_neuropathy"]:checked');
      var seen = {};
      form.querySelectorAll('input[name="area"]:checked').forEach(function (input) {
        var parts = input.value.split(":");
        if (legRegions.indexOf(parts[0]) === -1) { return; }
        if (neuropathy && footRegions.indexOf(parts[0]) !== -1) { return; }
        seen[parts[1]] = true;
      });
      return !!(seen.left && seen.right);
    }
    function placeBothLegs() {
      if (!question) { return; }
      var apart = bothLegs();
      var slot = slots[sideIsBoth() ? "1" : "2"];
      if (apart && slot && question.parentNode !== slot) { slot.appendChild(question); }
      question.hidden = !apart;
      question.querySelector("fieldset").disabled = !apart;
      if (listed) {
        listed.hidden = apart;
        listed.querySelector("input").disabled = apart;
      }
    }

    /* ---------- the triage of the answers so far ---------- */
    var checkUrl = form.getAttribute("data-check");
    var checking = null;
    function stopHere() {
      var upto = document.createElement("input");
      upto.type = "hidden";
      upto.name = "upto";
      upto.value = String(current + 1);
      form.appendChild(upto);
      form.submit();
    }
    /* Only the answer to the latest check counts: a check sent before the person changed an
       answer again (ticked, then unticked) speaks of answers that are gone. The final answers
       are triaged when the form is sent, whatever happens here. */
    var asked = 0;
    function checkSoFar() {
      if (!checkUrl || !window.fetch || !window.URLSearchParams) { return; }
      var mine = ++asked;
      var token = form.querySelector('input[name="csrftoken"]');
      window.fetch(checkUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "x-csrftoken": token ? token.value : "" },
        body: new URLSearchParams(new FormData(form))
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (verdict) {
        if (mine === asked && verdict && verdict.stop) { stopHere(); }
      }).catch(function () { /* offline: the final answers are triaged when sent */ });
    }
    form.addEventListener("change", function (event) {
      var name = event.target && event.target.name;
      if (name === "side" || name === "area" || name === "conditions") { placeBothLegs(); }
      if (name === "area") { syncMap(); }
      if (checking) { window.clearTimeout(checking); }
      asked += 1; /* any answer still on its way is now out of date */
      checking = window.setTimeout(checkSoFar, 100);
    });

    /* ---------- keeping answers ---------- */
    function snapshot() {
      var fields = [];
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") { return; }
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.checked) { fields.push([el.name, el.value]); }
        } else {
          fields.push([el.name, el.value]);
        }
      });
      return { step: current, fields: fields };
    }
    function save() {
      var s = store();
      if (!s) { return; }
      try { s.setItem(KEY, JSON.stringify(snapshot())); } catch (e) { /* storage full or off */ }
    }
    function restore(saved) {
      var values = {};
      saved.fields.forEach(function (pair) {
        (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
      });
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.type === "hidden") { return; }
        if (el.type === "checkbox") {
          el.checked = (values[el.name] || []).indexOf(el.value) !== -1;
        } else if (el.type === "radio") {
          if (values[el.name]) { el.checked = values[el.name].indexOf(el.value) !== -1; }
          else { el.checked = false; }
        } else if (values[el.name]) {
          el.value = values[el.name][0];
          el.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
    }
    var s = store();
    var saved = null;
    if (s && form.getAttribute("data-restore") === "true") {
      try { saved = JSON.parse(s.getItem(KEY) || "null"); } catch (e) { saved = null; }
    }
    if (saved && saved.fields) {
      restore(saved);
      var notice = document.getElementById("restored-notice");
      if (notice) { notice.hidden = false; }
    }
    var again = document.getElementById("start-again");
    if (again) {
      again.addEventListener("click", function () {
        if (s) { s.removeItem(KEY); }
        window.location.assign(form.getAttribute("action"));
      });
    }
    form.addEventListener("change", save);
    form.addEventListener("input", save);
    form.addEventListener("submit", function () {
      if (s) { s.removeItem(KEY); }
    });

    /* ---------- one step at a time ---------- */
    function show(index, moveFocus) {
      current = Math.max(0, Math.min(steps.length - 1, index));
      steps.forEach(function (step, i) { step.hidden = i !== current; });
      if (stepList) {
        stepList.querySelectorAll("li").forEach(function (li, i) {
          li.classList.toggle("done", i < current);
          if (i === current) { li.setAttribute("aria-current", "step"); }
          else { li.removeAttribute("aria-current"); }
        });
      }
      var title = steps[current].querySelector("h2");
      if (progress && title) {
        progress.textContent = "Step " + (current + 1) + " of " + steps.length;
      }
      back.hidden = current === 0;
      next.hidden = current === steps.length - 1;
      submit.hidden = current !== steps.length - 1;
      if (moveFocus && title) {
        title.focus();
        title.scrollIntoView({ block: "start" });
      }
    }
    function stepValid() {
      var groups = steps[current].querySelectorAll(".checklist");
      for (var g = 0; g < groups.length; g++) {
        var first = groups[g].querySelector("input:not([disabled])");
        first.setCustomValidity("");
        if (!groups[g].querySelector("input:checked:not([disabled])")) {
          var title = groups[g].querySelector("legend").textContent.trim();
          first.setCustomValidity(
            words("tick-or-none", "Please tick what applies, or “None of these”: {group}").replace("{group}", title));
          first.reportValidity();
          first.focus();
          return false;
        }
      }
      var controls = steps[current].querySelectorAll("input, select, textarea");
      for (var i = 0; i < controls.length; i++) {
        var control = controls[i];
        control.setCustomValidity("");
        if (!control.checkValidity()) {
          // An unanswered choice says which question it is (a pain level is never taken as 0).
          var group = control.type === "radio" ? control.closest("fieldset") : null;
          var legend = group ? group.querySelector("legend") : null;
          if (legend) {
            control.setCustomValidity(
              words("answer", "Please answer: {question}").replace("{question}", legend.textContent.trim()));
          }
          control.reportValidity();
          control.focus();
          return false;
        }
      }
      return true;
    }
    form.addEventListener("change", function (event) {
      if (event.target && event.target.setCustomValidity) {
        var group = event.target.closest(".checklist");
        var same = group ? group.querySelectorAll("input") :
          form.querySelectorAll('input[name="' + event.target.name + '"]');
        same.forEach(function (el) { el.setCustomValidity(""); });
      }
    });
    if (steps.length > 1) {
      if (stepList) { stepList.hidden = false; }
      if (progress) { progress.hidden = false; }
      next.addEventListener("click", function () {
        if (stepValid()) { show(current + 1, true); save(); }
      });
      back.addEventListener("click", function () { show(current - 1, true); save(); });
      var start = parseInt(form.getAttribute("data-start-step") || "1", 10) - 1;
      if (saved && typeof saved.step === "number") { start = saved.step; }
      show(start, false);
      form.classList.add("wizard--ready");
      // Enter in a text box moves on a step instead of sending a half-filled form.
      form.addEventListener("keydown", function (event) {
        var el = event.target;
        if (event.key !== "Enter" || current === steps.length - 1) { return; }
        if (el.tagName === "INPUT" && ["checkbox", "radio", "submit", "button"].indexOf(el.type) === -1) {
          event.preventDefault();
          next.click();
        }
      });
      // Links to a field (the error summary) open the step that holds it.
      document.addEventListener("click", function (event) {
        var link = event.target.closest ? event.target.closest('a[href^="#field-"]') : null;
        if (!link) { return; }
        var target = document.getElementById(link.getAttribute("href").slice(1));
        var step = target ? target.closest(".wizard-step") : null;
        if (!step) { return; }
        event.preventDefault();
        show(steps.indexOf(step), false);
        target.focus();
        target.scrollIntoView({ block: "center" });
      });
    }
    syncMap();
    placeBothLegs();
  });
})();
