// Creators and their queues: one row per message, updated in place on every poll.
import { ApiError, call } from "./api.js";
import { openDetail, updateDetail } from "./detail.js";
import { announce, count, duration, h, instant, setText } from "./dom.js";

// A canceled message is deleted from the queue at once; the row stays this long, marked, so the change is seen.
const CANCELED_MS = 10_000;
const COLUMNS = [["Id"], ["Text"], ["Status"], ["Sends at"], ["Sent / audience", "num"], ["Pending", "num"], ["Viewed", "num"],
  ["Bought", "num"], ["Unsend in", "num"], ["Price", "num"]];

export class QueueView {
  constructor(container) {
    this.container = container;
    this.creators = new Map(); // creator id -> {section, tbody, rows: Map(message id -> row), note}
  }

  /** Forget every row (another session, a reset, an import): nothing is shown as canceled. */
  clear() {
    this.creators.clear();
    this.container.replaceChildren();
  }

  /** Show the creators of one ``GET /_emulator/queue`` answer; ``replaced``: the session was rebuilt meanwhile. */
  update(creators, replaced = false) {
    if (replaced) this.clear();
    for (const creator of creators) this.updateCreator(this.creatorView(creator), creator);
  }

  creatorView(creator) {
    let view = this.creators.get(creator.id);
    if (!view) {
      const tbody = h("tbody");
      const note = h("p", { class: "note", hidden: true });
      const lists = h("p", { class: "muted", dataset: { testid: "creator-lists" } });
      const handle = creator.username ? ` @${creator.username}` : "";
      const section = h("section", { class: "creator", "aria-label": `Queue of ${creator.name}` },
        h("h3", {}, creator.name, h("span", { class: "muted" }, `${handle} · ${creator.id}`)),
        lists,
        h("div", { class: "scroll" }, h("table", {},
          h("thead", {}, h("tr", {}, COLUMNS.map(([name, kind]) => h("th", { scope: "col", class: kind }, name)))),
          tbody)),
        note);
      view = { section, tbody, note, lists, rows: new Map() };
      this.creators.set(creator.id, view);
      this.container.append(section);
    }
    return view;
  }

  updateCreator(view, creator) {
    const sizes = (creator.lists || []).map((list) => `${list.name} ${count(list.size)}`).join(" · ");
    setText(view.lists, creator.fans ? `${count(creator.fans.active)} active fans, ${count(creator.fans.expired)} ` +
      `expired · lists: ${sizes}` : "");
    const seen = new Set();
    const order = [];
    for (const message of creator.messages) {
      seen.add(message.id);
      let row = view.rows.get(message.id);
      if (!row) {
        row = messageRow(message.id);
        view.rows.set(message.id, row);
      }
      fillRow(row, message);
      order.push(row);
    }
    const now = Date.now();
    for (const [id, row] of view.rows) {
      if (seen.has(id)) continue;
      // Rows past the server's limit vanish for that reason alone; only a complete list tells a deletion.
      if (creator.more || (row.canceledAt && now - row.canceledAt > CANCELED_MS)) {
        view.rows.delete(id);
        continue;
      }
      row.canceledAt ??= now;
      markCanceled(row);
      order.splice(Math.min(row.lastIndex ?? order.length, order.length), 0, row);
    }
    order.forEach((row, index) => { row.lastIndex = index; });
    reorder(view.tbody, order);
    view.note.hidden = !creator.more;
    setText(view.note, creator.more ? "More messages than shown: the soonest waiting and latest sent are listed." : "");
  }
}

function messageRow(id) {
  const open = () => showMessage(id).catch((error) => announce(error.message, true));
  const row = h("tr", { dataset: { testid: "queue-row", id }, onclick: open },
    h("td", {}, h("button", { type: "button", class: "link", "aria-label": `Show message ${id} as both vendors render it` },
      String(id))),
    h("td", { class: "text" }), h("td", {}, h("span", { class: "status" })), h("td", { class: "date" }),
    ...["num", "num", "num", "num", "num", "num"].map((kind) => h("td", { class: kind })));
  row.cells[0].firstChild.addEventListener("click", (event) => { event.stopPropagation(); open(); });
  return row;
}

function fillRow(row, message) {
  row.canceledAt = undefined;
  row.classList.remove("canceled");
  row.dataset.status = message.status;
  const cells = row.cells;
  setText(cells[1], message.text || (message.mediaCount ? `(${message.mediaCount} media, no text)` : ""));
  cells[1].title = message.text || "";
  const badge = cells[2].firstChild;
  badge.className = `status status-${message.status}`;
  setText(badge, message.status);
  setText(cells[3], message.status === "saved" ? "saved for later" : instant(message.date));
  setText(cells[4], `${count(message.sentCount)} / ${count(message.total)}`);
  setText(cells[5], count(message.pending));
  setText(cells[6], count(message.viewedCount));
  setText(cells[7], count(message.purchasedCount));
  setText(cells[8], message.canUnsend ? duration(message.unsendSeconds) : "–");
  setText(cells[9], Number(message.price) > 0 ? message.price : "free");
}

function markCanceled(row) {
  row.classList.add("canceled");
  row.dataset.status = "canceled";
  const badge = row.cells[2].firstChild;
  badge.className = "status status-canceled";
  setText(badge, "canceled");
  setText(row.cells[8], "–");
}

/** Put the rows in order, moving only those out of place (moving a node would drop its focus). */
function reorder(tbody, rows) {
  rows.forEach((row, index) => {
    if (tbody.children[index] !== row) tbody.insertBefore(row, tbody.children[index] || null);
  });
  while (tbody.children.length > rows.length) tbody.lastElementChild.remove();
}

async function showMessage(id) {
  const load = async () => {
    try {
      const shapes = await call("GET", `queue/${id}`);
      return [
        { title: "OFAuth · GET /v2/access/mass-messages/{id}", blocks: [["Response body", shapes.ofauth]] },
        { title: "OnlyFansAPI · GET /api/{account}/mass-messaging/{id}", blocks: [["Response data", shapes.onlyfansapi]] },
      ];
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      const gone = "This message is no longer in the queue: canceled, or gone with a reset.";
      return [{ title: "OFAuth", blocks: [["", gone]] }, { title: "OnlyFansAPI", blocks: [["", gone]] }];
    }
  };
  let last = await load();
  const heading = `Message ${id}`;
  openDetail(heading, last, async () => {
    if (last[0].blocks[0][0] === "") return; // gone: stop asking
    last = await load();
    updateDetail(last);
  });
}
