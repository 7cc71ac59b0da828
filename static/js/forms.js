/* Forms that keep people from losing work. No inline scripts (CSP); every page works without this file.
 *
 * - form[data-warn-unsaved] (or a form holding an element with that attribute, as the admin's change form does):
 *   leaving the page (a link, closing the tab, reloading) after changing a field of the form and before
 *   submitting it asks the browser's "leave the page?" question. data-warn-unsaved="dirty": the form already
 *   holds unsaved input (shown again after a refusal), so leaving asks even before a change.
 * - form[data-confirm]: submitting asks the question in the attribute first (bulk actions); the server checks
 *   what was confirmed all the same.
 */
(function () {
  "use strict";

  var changed = [];

  function snapshot(form) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.type === "hidden" || field.type === "submit" || field.type === "button") {
        return;
      }
      if (field.type === "checkbox" || field.type === "radio") {
        values.push(field.name + "=" + field.checked);
      } else if (field.tagName === "SELECT" && field.multiple) {
        values.push(field.name + "=" + Array.prototype.map.call(field.selectedOptions, function (o) {
          return o.value;
        }).join(","));
      } else if (field.type !== "file") {
        values.push(field.name + "=" + field.value);
      } else {
        values.push(field.name + "=" + (field.files ? field.files.length : 0));
      }
    });
    return values.join("\n");
  }

  function watch(form, dirty) {
    // A form shown again after a refusal holds what was typed, unsaved: it counts as changed from the start.
    var initial = dirty ? null : snapshot(form);
    var submitting = false;
    form.addEventListener("submit", function () {
      submitting = true;
    });
    changed.push(function () {
      return !submitting && snapshot(form) !== initial;
    });
  }

  var forms = [];
  document.querySelectorAll("[data-warn-unsaved]").forEach(function (marked) {
    var form = marked.tagName === "FORM" ? marked : marked.form || marked.closest("form");
    if (form && forms.indexOf(form) < 0) {
      forms.push(form);
      watch(form, marked.getAttribute("data-warn-unsaved") === "dirty");
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (changed.some(function (test) { return test(); })) {
      event.preventDefault();
      event.returnValue = "";  // the browser shows its own wording
    }
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    });
  });
})();
