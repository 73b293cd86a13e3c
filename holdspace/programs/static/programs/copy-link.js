// A "Copy link" button beside a read-only link ([data-copy] names the input's id). Without this
// script the button stays hidden and the link can be selected and copied by hand.
(() => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const input = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.copyStatus);
    if (!input) continue;
    button.hidden = false;
    input.addEventListener("focus", () => input.select());
    button.addEventListener("click", async () => {
      input.select();
      let copied = false;
      try {
        await navigator.clipboard.writeText(input.value);
        copied = true;
      } catch {
        copied = document.execCommand("copy"); // older browsers, or no clipboard permission
      }
      if (status) status.textContent = copied ? "Copied." : "Select the link and copy it.";
    });
  }
})();
