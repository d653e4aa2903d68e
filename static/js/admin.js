/* The admin's autocomplete boxes (Select2) name themselves after the chosen value only: an
   empty box, the search field of a multiple choice and the box inside a table row go without a
   name. Each gets the field's: the aria-label of its <select> (table rows) or its <label>. */
"use strict";
{
    function fieldName(select) {
        if (select.hasAttribute("aria-label")) {
            return select.getAttribute("aria-label");
        }
        const label = select.labels && select.labels[0];
        return label ? label.textContent.trim().replace(/:$/, "") : "";
    }

    function nameBox(select, box) {
        const name = fieldName(select);
        box.removeAttribute("aria-labelledby");
        box.setAttribute("aria-label", name);
        const search = box.querySelector(".select2-search__field");
        if (search) {
            search.setAttribute("aria-label", name);
        }
        const rendered = box.querySelector(".select2-selection__rendered");
        if (!select.multiple) {
            // The chosen value is the content of the combobox, not a second, unnamed field.
            rendered.removeAttribute("role");
            rendered.removeAttribute("aria-readonly");
            return;
        }
        // The “clear all” cross is for the mouse (each choice has its own, and Backspace
        // removes one), and it may not sit in the list of choices for assistive technology.
        const hideClear = () => {
            rendered.querySelectorAll(".select2-selection__clear").forEach(
                (cross) => cross.setAttribute("aria-hidden", "true")
            );
        };
        hideClear();
        new MutationObserver(hideClear).observe(rendered, {childList: true});
    }

    // Select2 puts its box into the page when the admin's autocomplete.js sets a field up (on
    // DOM ready, and on each “Add another” row); the box is named as soon as it is there.
    new MutationObserver((changes) => {
        for (const change of changes) {
            for (const node of change.addedNodes) {
                const select = node.previousElementSibling;
                const box = node.querySelector?.(":scope > .selection > .select2-selection");
                if (box && select?.matches("select")) {
                    nameBox(select, box);
                }
            }
        }
    }).observe(document.documentElement, {childList: true, subtree: true});
}
