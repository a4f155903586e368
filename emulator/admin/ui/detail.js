// The detail dialog: two panes side by side (a message as each vendor renders it; a request and its response).
import { h, pretty, setText } from "./dom.js";

const dialog = document.getElementById("detail");
const title = document.getElementById("detail-title");
const panes = dialog.querySelector(".panes");
let refresher = null;

dialog.querySelector("button.close").addEventListener("click", () => dialog.close());
dialog.addEventListener("close", () => { refresher = null; });

/** Show panes [{title, blocks: [[heading, value], ...]}]; ``refresh`` (optional) is re-run on every poll. */
export function openDetail(heading, content, refresh = null) {
  setText(title, heading);
  panes.replaceChildren(...content.map(renderPane));
  refresher = refresh;
  if (!dialog.open) dialog.showModal();
}

/** Replace the panes' text in place, keeping each pane's scroll position. */
export function updateDetail(content) {
  if (!dialog.open) return;
  if (panes.children.length !== content.length) {
    panes.replaceChildren(...content.map(renderPane));
    return;
  }
  content.forEach((pane, index) => {
    const blocks = panes.children[index].querySelectorAll("pre");
    if (blocks.length !== pane.blocks.length) panes.children[index].replaceWith(renderPane(pane));
    else pane.blocks.forEach(([, value], n) => setText(blocks[n], pretty(value ?? null)));
  });
}

/** Run the open dialog's refresher, if it has one (the poller calls this). */
export async function refreshDetail() {
  if (dialog.open && refresher) await refresher();
}

function renderPane(pane) {
  return h("section", { class: "pane", "aria-label": pane.title },
    h("h3", {}, pane.title),
    pane.blocks.map(([heading, value]) => [h("h4", {}, heading), h("pre", { tabindex: "0" }, pretty(value ?? null))]));
}
