// A folded (collapse) fieldset that holds an error opens, and the first error scrolls into view.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const errors = document.querySelectorAll("form .errorlist, form .errors");
  for (const error of errors) {
    for (let node = error.closest("details"); node; node = node.parentElement.closest("details")) {
      node.open = true;
    }
  }
  const first = document.querySelector("form .errors, form .errorlist");
  if (first) first.scrollIntoView({ block: "center" });
});
