// The playground's skeleton inside its root: a top bar, the status and error lines, and a panel
// per part in three columns (network and data; the diagram and the stepper; the inspector),
// then training, the gradient check and export. Panels are named by data-control, the names a
// link's `hide=` uses.

import { el, uid } from "../core/dom.js";

const COLUMNS = [
  ["column-left", [["network", "Network"], ["data", "Data"]]],
  ["column-center", [["diagram", "The network, stage by stage"], ["stepping", "This stage"]]],
  ["column-right", [["inspector", "Inspector"]]],
];
const BELOW = [["train", "Training"], ["gradcheck", "Gradient check"], ["export", "Share and export"]];

function panel(name, title) {
  const id = uid(`${name}-title`);
  const tag = name === "inspector" ? "aside" : "section";
  return el(tag, { class: `panel${name === "diagram" ? " diagram-panel" : ""}`, "data-control": name,
    "aria-labelledby": id, id: uid(name), tabindex: name === "diagram" ? "-1" : null },
  el("h2", { id, text: title }));
}

export function buildLayout(root, heading) {
  const panels = {};
  const make = ([name, title]) => (panels[name] = panel(name, title));
  const tools = el("div", { class: "topbar-tools" });
  const topbar = el("header", { class: "topbar", "data-control": "topbar" }, heading || null, tools);
  const columns = COLUMNS.map(([cls, names]) => el("div", { class: `column ${cls}` }, ...names.map(make)));
  const grid = el("div", { class: "playground" }, ...columns, ...BELOW.map(make));
  const status = el("p", { class: "status", role: "status", "aria-live": "polite" });
  const error = el("p", { class: "error", role: "alert", hidden: true, "data-testid": "playground-error" });
  root.classList.add("bp-playground");
  root.append(topbar, status, error, grid);
  const panelTitles = [["topbar", "Top bar"], ...COLUMNS.flatMap(([, names]) => names), ...BELOW]
    .map(([name, title]) => ({ name, title }));
  return {
    root, tools, grid, columns, error, panels: { ...panels, topbar }, panelTitles,
    // The stepping pace, for the diagram's transitions (CSS) and its slow-motion look.
    setTiming(interval, slow) {
      root.style.setProperty("--step-duration", `${Math.round(interval * 0.4)}ms`);
      root.classList.toggle("slow-motion", slow);
    },
  };
}

// Panels a link hides take no room (a column whose panels are all hidden neither), presenter
// mode restyles the whole component, and the error line shows the latest error.
export function showLayout(layout, state) {
  for (const [name, section] of Object.entries(layout.panels)) section.hidden = state.hidden.includes(name);
  for (const column of layout.columns) column.hidden = [...column.children].every((child) => child.hidden);
  layout.grid.classList.toggle("without-left", layout.columns[0].hidden);
  layout.grid.classList.toggle("without-right", layout.columns[2].hidden);
  layout.root.classList.toggle("present", Boolean(state.present));
  layout.error.hidden = !state.error;
  layout.error.textContent = state.error || "";
}
