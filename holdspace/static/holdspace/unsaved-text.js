// Asks before leaving a page with text written and not sent: textareas marked
// data-warn-unsaved (holdspace.widgets.DraftTextarea) count once changed, or from the start
// when marked "restored" (text sent back after an error, or kept across a sign-out). Sending
// the form clears it. Without this script the forms work the same, with no warning.
(() => {
  const fields = [...document.querySelectorAll("textarea[data-warn-unsaved]")];
  if (fields.length === 0) return;
  const unsaved = new Set(fields.filter((field) => field.dataset.warnUnsaved === "restored"));
  for (const field of fields) {
    const original = field.value;
    field.addEventListener("input", () => {
      if (field.value === original && field.dataset.warnUnsaved !== "restored") {
        unsaved.delete(field);
      } else {
        unsaved.add(field);
      }
    });
    field.form?.addEventListener("submit", () => {
      for (const other of fields) if (other.form === field.form) unsaved.delete(other);
    });
  }
  window.addEventListener("beforeunload", (event) => {
    if (unsaved.size === 0) return;
    event.preventDefault();
    event.returnValue = ""; // browsers show their own wording; some still need this set
  });
})();
