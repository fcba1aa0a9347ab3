// The playground's skeleton inside its root, laid out for a lecture: the diagram first and as
// large as the screen allows, the caption strip (the stage and its formula with numbers) and
// the stepper right under it, the inspector and the data beside it, the network's settings in a
// drawer one key away, and the longer panels (the stage explained, training, the gradient check,
// export) below. Narrow roots (a phone, a lesson column) stack the same parts, diagram first.
// Parts are named by data-control, the names a link's `hide=` uses.

import { el, uid } from "../core/dom.js";

const TITLES = {
  network: "Network", data: "Data", diagram: "The network, stage by stage", stepping: "This stage",
  inspector: "Inspector", train: "Training", gradcheck: "Gradient check", export: "Share and export",
  draw: "Draw a digit",
};

// The parts a link's hide= may name.
export const PARTS = ["topbar", ...Object.keys(TITLES)];

function panel(name, tag = "section") {
  const id = uid(`${name}-title`);
  return el(tag, { class: `panel panel-${name}`, "data-control": name, "aria-labelledby": id, id: uid(name) },
    el("h2", { id, text: TITLES[name] }));
}

function buildTopbar(heading) {
  const tools = el("div", { class: "topbar-tools" });
  const settings = el("button", { type: "button", class: "settings-toggle", "aria-expanded": "false",
    "aria-keyshortcuts": "s", "data-testid": "settings-toggle", text: "Settings" });
  tools.append(settings);
  const topbar = el("header", { class: "topbar", "data-control": "topbar" }, heading || null, tools);
  return { topbar, tools, settings };
}

export function buildLayout(root, heading, embedded) {
  const { topbar, tools, settings } = buildTopbar(heading);
  const panels = Object.fromEntries(Object.keys(TITLES).map((name) =>
    [name, panel(name, name === "inspector" ? "aside" : "section")]));
  panels.diagram.classList.add("diagram-panel");
  panels.diagram.tabIndex = -1;
  const player = el("div", { class: "player-slot", "data-control": "stepping" });
  const stage = el("div", { class: "stage-column" }, panels.diagram, player);
  // Embedded in a lesson, the stage explained goes beside the diagram with the inspector, so the
  // whole playground is one screen tall.
  const side = el("div", { class: "side-column" }, ...(embedded ? [panels.stepping] : []), panels.inspector,
    panels.draw, panels.data);
  const drawer = el("div", { class: "drawer", "data-drawer": "settings", id: uid("settings") }, panels.network);
  settings.setAttribute("aria-controls", drawer.id);
  const more = el("div", { class: "more" }, ...(embedded ? [] : [panels.stepping]), panels.train, panels.gradcheck, panels.export);
  const grid = el("div", { class: "playground" }, stage, side, drawer, more);
  const status = el("p", { class: "status", role: "status", "aria-live": "polite", "data-testid": "notice" });
  const error = el("p", { class: "error", role: "alert", hidden: true, "data-testid": "playground-error" });
  root.classList.add("bp-playground");
  root.classList.toggle("embedded", Boolean(embedded));
  root.append(topbar, status, error, grid);
  // The lecture layout fills the screen below the top bar (CSS --top): its height, measured.
  new ResizeObserver(() => {
    const top = topbar.offsetHeight + status.offsetHeight + error.offsetHeight;
    root.style.setProperty("--top", `${top}px`);
  }).observe(topbar);
  return {
    root, tools, settings, grid, stage, side, drawer, player, status, error,
    panels: { ...panels, topbar },
    panelTitles: [["topbar", "Top bar"], ...Object.entries(TITLES)].map(([name, title]) => ({ name, title })),
    // The stepping pace, for the diagram's transitions (CSS) and its slow-motion look.
    setTiming(interval, slow) {
      root.style.setProperty("--step-duration", `${Math.round(interval * 0.4)}ms`);
      root.classList.toggle("slow-motion", slow);
    },
  };
}

// Parts a link hides take no room; the settings drawer is open or not; presenter mode restyles
// the whole component; the notice and the error lines show the latest of each.
export function showLayout(layout, state) {
  for (const part of layout.root.querySelectorAll("[data-control]")) {
    part.hidden = state.hidden.includes(part.dataset.control);
  }
  layout.side.hidden = [...layout.side.children].every((child) => child.hidden);
  layout.root.classList.toggle("present", Boolean(state.present));
  layout.root.classList.toggle("has-selection", Boolean(state.selection));
  layout.root.classList.toggle("settings-open", Boolean(state.settingsOpen));
  layout.settings.setAttribute("aria-expanded", String(Boolean(state.settingsOpen)));
  layout.settings.textContent = state.settingsOpen ? "Close settings" : "Settings";
  layout.error.hidden = !state.error;
  layout.error.textContent = state.error || "";
  layout.status.textContent = state.notice || "";
}
