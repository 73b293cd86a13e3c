// Entity autocomplete for place fields: fills the field's <datalist> from the shared search
// and remembers the picked entity's id, so two people mean the same place. Without this script
// the plain text field still works (the server offers "did you mean").
(() => {
  for (const input of document.querySelectorAll("input[data-entity-search]")) {
    const form = input.form;
    const prefix = input.name.slice(0, -"name".length);
    const hidden = form.querySelector(`input[name="${prefix}entity"]`);
    const kind = form.querySelector(`select[name="${prefix}kind"]`);
    const list = document.getElementById(input.getAttribute("list"));
    if (!hidden || !list) continue;
    let found = new Map();
    let timer;
    input.addEventListener("input", () => {
      const match = found.get(input.value);
      if (match) {
        hidden.value = String(match.id);
        if (kind) kind.value = match.kind;
        return;
      }
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const query = input.value.trim();
        if (query.length < 2) return;
        const url = `${input.dataset.entitySearch}?q=${encodeURIComponent(query)}`;
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const { results } = await response.json();
        found = new Map(results.map((entity) => [entity.name, entity]));
        list.replaceChildren(
          ...results.map((entity) => {
            const option = document.createElement("option");
            option.value = entity.name;
            return option;
          }),
        );
      }, 150);
    });
  }
})();
