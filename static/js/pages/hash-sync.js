// The playground page's URL hash as the place a playground keeps its state (see
// playground/sync.js): read and written without new history entries, and heard when edited.

// A link to a part of the page (a skip link's #id) is not a state: it is put back, rather than
// read as "everything at its default".
export function hashSync(win) {
  return {
    read: () => win.location.hash,
    write(hash) {
      win.history.replaceState(null, "", hash ? `#${hash}` : win.location.pathname + win.location.search);
    },
    listen(onChange) {
      win.addEventListener("hashchange", () => {
        const anchor = win.location.hash.slice(1);
        if (anchor && !anchor.includes("=") && win.document.getElementById(anchor)) onChange(null);
        else onChange(win.location.hash);
      });
    },
  };
}

