// On a phone the filters start folded, so the results come first; the summary says how many
// filters are on. Without this script (or on a wide screen) they stay open: nothing is lost.
(() => {
  const filters = document.querySelector("details.filters");
  if (!filters || "keepOpen" in filters.dataset) return;
  if (window.matchMedia("(max-width: 47.99rem)").matches) filters.open = false;
})();
