// The canvas view's motion: the same plans as the SVG view's (neuron-motion.js planStep: each
// number leaves its neuron as a packet, weighted on its way, the arrivals summed, then f or f′
// applied), drawn frame by frame on a canvas laid over the diagram, so a frame costs a few dozen
// shapes however many edges the network has. The timing is the SVG view's; nothing moves for
// reduced motion.

import { font } from "./canvas-paint.js";
import { STEP_MS, TRAVEL_MS, reducedMotion } from "./neuron-motion.js";

const ease = (t) => 0.5 - 0.5 * Math.cos(Math.PI * Math.max(0, Math.min(1, t))); // in and out

function packet(ctx, item, t, g) {
  const x = item.x1 + (item.x2 - item.x1) * t;
  const y = item.y1 + (item.y2 - item.y1) * t;
  const r = Math.max(4, g.font * 0.22);
  ctx.beginPath();
  if (item.grad) {
    ctx.moveTo(x, y - r * 1.3);
    ctx.lineTo(x + r * 1.3, y);
    ctx.lineTo(x, y + r * 1.3);
    ctx.lineTo(x - r * 1.3, y);
    ctx.closePath();
    ctx.fillStyle = "#e69f00";
    ctx.fill();
    ctx.strokeStyle = "#1b1b1b";
    ctx.lineWidth = 1;
    ctx.stroke();
  } else {
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = "#1b1b1b";
    ctx.fill();
  }
  if (!item.label) return;
  ctx.font = font(Math.max(11, g.font * 0.55), item.grad ? "italic bold" : "bold");
  ctx.textAlign = "center";
  ctx.lineWidth = 4;
  ctx.strokeStyle = "#ffffff";
  const words = (item.grad ? "∂ " : "") + item.label;
  ctx.strokeText(words, x, y - r * 1.8);
  ctx.fillStyle = "#1b1b1b";
  ctx.fillText(words, x, y - r * 1.8);
}

function badge(ctx, item, words, g) {
  const size = Math.max(11, g.font * 0.55);
  ctx.fillStyle = "#1b1b1b";
  ctx.beginPath();
  ctx.roundRect(item.x - g.pill.width * 0.55, item.y - g.pill.height / 2 - size * 1.7, g.pill.width * 1.1, size * 1.45,
    size * 0.3);
  ctx.fill();
  ctx.font = font(size, "bold");
  ctx.textAlign = "center";
  ctx.fillStyle = "#ffffff";
  ctx.fillText(words, item.x, item.y - g.pill.height / 2 - size * 0.65, g.pill.width * 1.05);
}

// onMotion(running) hears when motion starts and ends; `decorate(ctx)` draws what stays on the
// overlay between motions (the hover and focus halos).
export function createCanvasMotion(onMotion, decorate) {
  let running = null;
  const redraw = (target, elapsed) => {
    const { ctx, parts, plan, travel, step } = target;
    ctx.clearRect(0, 0, parts.g.width, parts.g.height);
    decorate(ctx);
    if (!plan) return;
    const t = travel ? ease(elapsed / travel) : 1;
    if (elapsed < travel) plan.packets.forEach((item) => packet(ctx, item, t, parts.g));
    const phase = elapsed < travel ? -1 : elapsed < travel + step ? 0 : 1;
    if (phase >= 0) plan.badges.forEach((item) => badge(ctx, item, item.texts[phase], parts.g));
  };
  // Stop what moves, clear the overlay and show where it was going (by `instead`, when given,
  // rather than by the motion's own `done`).
  function finish(instead) {
    if (!running) return;
    const { frame, done, root, ctx, parts } = running;
    cancelAnimationFrame(frame);
    running = null;
    redraw({ ctx, parts, plan: null }, 0);
    root.dataset.motion = "idle";
    onMotion(false);
    (instead || done)();
  }
  return {
    get running() { return Boolean(running); },
    finish,
    // The overlay as it is between motions.
    still(ctx, parts) { if (!running) redraw({ ctx, parts, plan: null }, 0); },
    // Play `plan` over the diagram `parts` on the overlay `ctx`, `scale` times as long as at 1×,
    // marking `root` while it runs; then call done().
    play({ ctx, parts, root }, plan, scale, done) {
      finish();
      if (!plan || reducedMotion.matches || !root.isConnected) {
        done();
        return;
      }
      const travel = plan.packets.length ? TRAVEL_MS * scale : 0;
      const step = STEP_MS * scale;
      const total = travel + (plan.badges.length ? 2 * step : 0);
      const started = performance.now();
      running = { root, done, ctx, parts, frame: 0 };
      root.dataset.motion = "running";
      root.dataset.motionMs = String(Math.round(total));
      onMotion(true);
      const target = { ctx, parts, plan, travel, step };
      const tick = (now) => {
        if (!running) return;
        const elapsed = now - started;
        if (elapsed >= total) {
          finish();
          return;
        }
        redraw(target, elapsed);
        running.frame = requestAnimationFrame(tick);
      };
      running.frame = requestAnimationFrame(tick);
    },
  };
}
