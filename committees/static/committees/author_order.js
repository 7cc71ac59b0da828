// Authors of a proposal: each row shows its place and a ↑ button that moves it up; the places are written into
// the rows' hidden position fields, and the server numbers the authors 1, 2, 3 … in that order when it saves.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
    const group = document.getElementById("authorships-group");
    if (!group) return;
    const body = group.querySelector("tbody");
    const rows = () => [...body.querySelectorAll("tr.form-row:not(.empty-form)")];

    const renumber = () => {
        rows().forEach((row, index) => {
            const position = row.querySelector('input[name$="-position"]');
            if (position) position.value = String(index + 1);
            const place = row.querySelector("td.field-place p, td.field-place");
            if (!place) return;
            let label = place.querySelector(".author-place");
            if (!label) {
                place.textContent = "";
                label = document.createElement("span");
                label.className = "author-place";
                const up = document.createElement("button");
                up.type = "button";
                up.className = "author-up";
                up.textContent = "↑";
                up.addEventListener("click", () => {
                    const previous = row.previousElementSibling;
                    if (previous && !previous.classList.contains("empty-form")) {
                        body.insertBefore(row, previous);
                        renumber();
                    }
                });
                place.append(label, " ", up);
            }
            label.textContent = String(index + 1);
        });
    };
    document.addEventListener("formset:added", (event) => {
        if (event.detail && event.detail.formsetName === "authorships") renumber();
    });
    document.addEventListener("formset:removed", (event) => {
        if (event.detail && event.detail.formsetName === "authorships") renumber();
    });
    renumber();
});
