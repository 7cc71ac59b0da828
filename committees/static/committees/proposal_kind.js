// The proposal form shows the fields of the chosen kind only. Which fields belong to which kind comes from the
// server (committees/proposal_kinds.py) in the kind select's data-kind-fields attribute; the server also clears
// the hidden fields on save, so this script only spares the clerk fields that do not apply.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
    const select = document.querySelector("select[data-kind-fields]");
    if (!select) return;
    const declared = JSON.parse(select.dataset.kindFields);

    const show = () => {
        const own = declared.kinds[select.value];
        for (const name of declared.specific) {
            const hidden = own !== undefined && !own.includes(name);
            for (const box of document.querySelectorAll(`.field-${name}`)) box.hidden = hidden;
        }
        // A row holding several fields, and a fieldset, disappear when everything in them is hidden.
        for (const row of document.querySelectorAll("fieldset .form-row")) {
            const boxes = row.querySelectorAll(".fieldBox");
            if (boxes.length) row.hidden = [...boxes].every((box) => box.hidden);
        }
        for (const fieldset of document.querySelectorAll("fieldset.module")) {
            if (fieldset.closest(".inline-group")) continue;
            const rows = fieldset.querySelectorAll(".form-row");
            fieldset.hidden = rows.length > 0 && [...rows].every((row) => row.hidden);
        }
    };
    select.addEventListener("change", show);
    show();
});
