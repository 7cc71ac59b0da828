// Attendance entry: a "select all" box ticks or clears the member boxes of its own table.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
    for (const toggle of document.querySelectorAll("input.toggle-all")) {
        toggle.addEventListener("change", () => {
            const table = toggle.closest("table");
            for (const box of table.querySelectorAll(`input[name="${toggle.dataset.target}"]:not(:disabled)`)) {
                box.checked = toggle.checked;
            }
        });
    }
});
