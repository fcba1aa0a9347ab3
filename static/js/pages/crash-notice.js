// Any error nobody caught, anywhere on the page, becomes a message at the top of the page
// instead of a page that silently stops responding. Each page imports this first.

const notice = document.createElement("div");
notice.className = "crash-notice";
notice.setAttribute("role", "alert");
notice.dataset.testid = "crash-notice";
notice.hidden = true;

function show(error) {
  // A request the page itself abandoned is not a failure.
  if (error && error.name === "AbortError") return;
  const message = (error && error.message) || String(error || "unknown error");
  notice.replaceChildren(
    Object.assign(document.createElement("strong"), { textContent: "Something went wrong: " }),
    `${message}. The page may not respond as it should; reloading it keeps what the link holds. `,
    Object.assign(document.createElement("button"), { type: "button", textContent: "Reload",
      onclick: () => location.reload() }),
  );
  notice.hidden = false;
  if (!notice.isConnected) document.body.prepend(notice);
}

// "ResizeObserver loop completed with undelivered notifications" is no failure: the browser
// says it delivers the rest in the next frame (the diagrams lay themselves out again when their
// canvas changes size, which can take two rounds).
const BENIGN = /^ResizeObserver loop/;

window.addEventListener("error", (event) => {
  if (!event.error && BENIGN.test(String(event.message))) return;
  show(event.error || event.message);
});
window.addEventListener("unhandledrejection", (event) => show(event.reason));
