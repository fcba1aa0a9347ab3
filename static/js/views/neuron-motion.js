// The neuron diagram's motion: on arriving at a forward or backward stage, a dash runs along
// the edges of its layer (left to right forward, right to left backward), then each edge shows
// its new state. Nothing moves for people who ask for reduced motion.

const PULSE_EDGES = 64; // at most this many edges pulse at once: those carrying the most
const PULSE_MS = 900;
const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

export function createPulses() {
  let arrival = null; // the trace and stage last shown, so a pulse plays once per arrival
  let pulses = [];
  return {
    // A new drawing: the next render is an arrival whatever its stage.
    reset() { arrival = null; },
    play(parts, view) {
      if (arrival && arrival.trace === view.trace && arrival.stage === view.stageAt) return;
      arrival = { trace: view.trace, stage: view.stageAt };
      pulses.forEach((animation) => animation.cancel());
      pulses = run(parts, view);
    },
  };
}

function run(parts, view) {
  const { overlay } = parts;
  overlay.replaceChildren();
  const { phase, layer } = view.stage;
  if (reducedMotion.matches || (phase !== "forward" && phase !== "backward")) return [];
  if (parts.svg.isConnected && overlay.previousSibling !== parts.svg) parts.svg.after(overlay);
  const [start, end] = phase === "forward" ? ["18px", "-100px"] : ["-100px", "18px"];
  const frames = [{ strokeDasharray: "18px 200px", strokeDashoffset: start },
    { strokeDasharray: "18px 200px", strokeDashoffset: end }];
  const strongest = parts.edges.filter((edge) => edge.l === layer)
    .sort((a, b) => b.strength - a.strength).slice(0, PULSE_EDGES);
  return strongest.map((edge) => {
    const copy = overlay.appendChild(edge.line.node.cloneNode(false));
    copy.removeAttribute("tabindex");
    copy.removeAttribute("role");
    copy.removeAttribute("data-weight");
    // A thicker dash of the edge's own colour travels over the edge.
    const width = Number(copy.getAttribute("stroke-width")) || 1;
    copy.setAttribute("stroke-width", String(width * 1.8 + 2));
    copy.setAttribute("opacity", "1");
    const animation = copy.animate(frames, { duration: PULSE_MS, easing: "ease-out" });
    animation.finished.then(() => copy.remove(), () => copy.remove());
    return animation;
  });
}
