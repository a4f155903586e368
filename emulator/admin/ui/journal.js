// The journal, live and newest first: fetches only the entries it has not seen, by their sequence numbers.
import { call } from "./api.js";
import { openDetail } from "./detail.js";
import { h, instant } from "./dom.js";

const WINDOW = 200; // rows kept on the page (and the most one fetch asks for)
const SLACK = 20; // extra rows asked for, in case more arrived between reading the head and fetching
const SHOWN = ["seq", "time", "vendor", "method", "path", "query", "headers", "body", "status", "dropped",
  "handled_status", "response", "duration_ms", "fault", "request_id"];

export class JournalView {
  constructor(tbody, form, describeRule) {
    this.tbody = tbody;
    this.form = form;
    this.describeRule = describeRule;
    this.known = 0; // the newest sequence number fetched, whatever the filters
    this.dirty = true; // the filters changed or the session did: fetch the whole window again
    form.addEventListener("submit", (event) => event.preventDefault());
    for (const kind of ["input", "change"]) form.addEventListener(kind, () => { this.dirty = true; this.changed?.(); });
  }

  /** Start over: another session, a reset, new filters. */
  clear() {
    this.tbody.replaceChildren();
    this.known = 0;
    this.dirty = true;
  }

  /** Bring the rows up to the journal's ``head`` ({latest, count}); return whether the journal moved. */
  async sync(head) {
    if (head.latest < this.known) this.clear(); // a new journal (the session was reset): its numbers restarted
    const oldest = head.latest - head.count + 1; // cleared or rotated out on the server: drop them here too
    for (const row of [...this.tbody.rows]) if (Number(row.dataset.seq) < oldest) row.remove();
    if (!this.dirty && head.latest === this.known) return false;
    const full = this.dirty;
    const limit = full ? WINDOW : Math.min(WINDOW, head.latest - this.known + SLACK);
    const data = await call("GET", "requests", { query: { ...this.filters(), limit } });
    const entries = (data?.requests || []).filter((entry) => full || entry.seq > this.known);
    if (full) this.tbody.replaceChildren();
    this.dirty = false;
    this.known = Math.max(head.latest, this.known, ...entries.map((entry) => Number(entry.seq) || 0));
    for (const entry of entries) this.tbody.prepend(this.row(entry));
    while (this.tbody.rows.length > WINDOW) this.tbody.lastElementChild.remove();
    return true;
  }

  filters() {
    const form = new FormData(this.form);
    const path = String(form.get("path") || "").trim();
    return {
      vendor: form.get("vendor"), method: form.get("method"),
      status: /^[0-9]{1,3}$/.test(String(form.get("status")).trim()) ? String(form.get("status")).trim() : "",
      // the API takes a shell pattern; plain text means "contains"
      path: path && !/[*?[]/.test(path) ? `*${path}*` : path,
    };
  }

  row(entry) {
    const status = entry.dropped ? "dropped" : String(entry.status ?? "?");
    const failed = entry.dropped || Number(entry.status) >= 400;
    const fault = entry.fault ? h("span", { class: "fault", title: this.describeRule(entry.fault) },
      `⚡ ${entry.fault}`) : "";
    const open = () => showEntry(entry);
    const row = h("tr", {
      dataset: { testid: "journal-row", seq: entry.seq, status, fault: entry.fault || "" },
      class: entry.fault ? "faulted" : "", onclick: open,
    },
    h("td", {}, h("button", { type: "button", class: "link", "aria-label": `Show request ${entry.seq}` },
      instant(entry.time).slice(11) || "–")),
    h("td", {}, entry.vendor === "onlyfansapi" ? "OnlyFansAPI" : entry.vendor === "ofauth" ? "OFAuth" : entry.vendor ?? ""),
    h("td", {}, entry.method ?? ""),
    h("td", { class: "path", title: entry.path ?? "" }, `${entry.path ?? ""}${entry.query ? `?${entry.query}` : ""}`),
    h("td", {}, h("span", { class: failed ? "code bad" : "code" }, status)),
    h("td", { class: "num" }, typeof entry.duration_ms === "number" ? `${Math.round(entry.duration_ms)} ms` : ""),
    h("td", {}, fault));
    row.cells[0].firstChild.addEventListener("click", (event) => { event.stopPropagation(); open(); });
    return row;
  }
}

function showEntry(entry) {
  const line = `${entry.method ?? ""} ${entry.path ?? ""}${entry.query ? `?${entry.query}` : ""}`;
  const outcome = [entry.dropped ? "connection dropped (no response)" : `status ${entry.status}`,
    entry.handled_status !== undefined && entry.handled_status !== entry.status ? `handled as ${entry.handled_status}` : "",
    typeof entry.duration_ms === "number" ? `${entry.duration_ms} ms` : "",
    entry.fault ? `fault rule ${entry.fault}` : "", entry.request_id ? `request id ${entry.request_id}` : ""];
  const rest = Object.fromEntries(Object.entries(entry).filter(([name]) => !SHOWN.includes(name)));
  openDetail(`Request #${entry.seq} · ${instant(entry.time)}`, [
    { title: "Request", blocks: [["Line", line], ["Headers (credentials masked)", entry.headers ?? {}],
      ["Body", entry.body ?? null]] },
    { title: "Response", blocks: [["Outcome", outcome.filter(Boolean).join(" · ")],
      ["Body", entry.dropped ? "(none: the connection was dropped)" : entry.response ?? null],
      ["More", rest]] },
  ]);
}
