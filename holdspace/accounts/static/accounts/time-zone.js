// Tells Holdspace the browser's time zone, for a signed-in person who hasn't chosen one, so
// every time is written in their zone. Loaded only while they have none (see zone_footer.html);
// the server keeps it only if it is a real zone. Without this script the usual zone of their
// state is used, and the "Change" link in the footer sets one by hand.
(() => {
  const script = document.currentScript;
  if (!script || !window.fetch || !window.Intl) return;
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return;
  }
  // What browsers that hide their zone (and misconfigured machines) report: no better than
  // the server's guess, so nothing is sent (the server would not keep it either).
  if (!zone || /^(Etc\/)?(UTC|UCT|Universal|Zulu|GMT([+-]?0)?|Greenwich)$/.test(zone)) return;
  // Reloading shows the page in the new zone, but never over something already typed.
  let typed = false;
  document.addEventListener("input", () => { typed = true; }, { once: true });
  const body = new FormData();
  body.append("time_zone", zone);
  fetch(script.dataset.endpoint, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { "X-CSRFToken": script.dataset.csrf, Accept: "application/json" },
  })
    .then((response) => (response.ok ? response.json() : null))
    .then((answer) => {
      if (
        answer && answer.stored && answer.time_zone !== script.dataset.shown &&
        script.dataset.reload === "yes" && !typed
      ) {
        window.location.reload();
      }
    })
    .catch(() => {});
})();
