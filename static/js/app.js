/* Progressive enhancement for every page: each works without this file. No inline scripts (CSP). */
(function () {
  "use strict";

  // Forms marked data-autosubmit (the committee and year switcher) go as soon as a choice changes;
  // their submit button is then not needed.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () {
        if (typeof form.requestSubmit === "function") {
          form.requestSubmit();
        } else {
          form.submit();
        }
      });
    });
    form.querySelectorAll("[data-autosubmit-button]").forEach(function (button) {
      button.hidden = true;
    });
  });
})();
