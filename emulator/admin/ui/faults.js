// Fault rules: the list with matched and fired counts, remove and clear, one-click presets and a custom rule.
import { call } from "./api.js";
import { announce, h, setText } from "./dom.js";

/** A rule id as one path segment: percent-encoded, dots too, so "." or ".." never resolves to another URL. */
export function segment(id) {
  return encodeURIComponent(id).replace(/\./g, "%2E");
}

export const PRESETS = {
  "429x2": { label: "Next 2 calls → 429", rule: { respond: { status: 429, headers: { "Retry-After": "2" } }, times: 2 } },
  "502-10pct": { label: "10% of calls → 502", rule: { respond: { status: 502 }, probability: 0.1 } },
  "slow-300": { label: "Every call 300 ms slow", rule: { respond: { delay_ms: 300 } } },
  "drop-next": { label: "Drop the next call", rule: { respond: { drop: true }, times: 1 } },
  "lose-response": { label: "Lose next response", rule: { respond: { drop: true }, when: "after", times: 1 } },
};

/** A rule in a few words: "429 + Retry-After · 2 times · after handling". */
export function summary(rule) {
  const respond = rule.respond || {};
  const effect = [respond.drop ? "drop" : "", respond.html ? "HTML page" : "", respond.truncate ? "truncated body" : "",
    respond.status ? String(respond.status) : "", respond.body !== undefined ? "custom body" : "",
    respond.delay_ms !== undefined ? `delay ${[].concat(respond.delay_ms).join("–")} ms` : "",
    Object.keys(respond.headers || {}).length ? `+ ${Object.keys(respond.headers).join(", ")}` : ""];
  const match = Object.entries(rule.match || {}).map(([name, value]) => `${name}=${value}`).join(" ") || "every call";
  const schedule = [rule.times ? `${rule.times}×` : "", rule.after ? `after ${rule.after}` : "",
    rule.probability !== undefined && rule.probability < 1 ? `${Math.round(rule.probability * 100)}%` : "",
    rule.when === "after" ? "response lost after handling" : ""];
  return `${effect.filter(Boolean).join(" ")} · ${match}${schedule.some(Boolean) ? ` · ${schedule.filter(Boolean).join(" ")}` : ""}`;
}

export class FaultsView {
  constructor(root, refresh) {
    this.root = root;
    this.refresh = refresh;
    this.rules = new Map();
    this.tbody = root.querySelector("tbody");
    this.empty = root.querySelector(".empty");
    const presets = root.querySelector(".presets");
    for (const [name, preset] of Object.entries(PRESETS)) {
      presets.append(h("button", { type: "button", dataset: { testid: "fault-preset", preset: name },
        title: summary(preset.rule), onclick: () => this.add(preset.rule, preset.label) }, preset.label));
    }
    root.querySelector("button.clear").addEventListener("click", () => this.act("DELETE", "faults", "Every fault rule removed."));
    const form = root.querySelector("form.custom");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const rule = customRule(new FormData(form));
      if (rule) this.add(rule, "Custom rule");
    });
  }

  describe(id) {
    const rule = this.rules.get(id);
    return rule ? `${id}: ${summary(rule)}` : `${id} (no longer in the list)`;
  }

  async add(rule, label) {
    await this.act("POST", "faults", null, rule, (added) => `${label} added as ${added.id}.`);
  }

  async act(method, path, message, body, describe) {
    try {
      const answer = await call(method, path, { body });
      announce(describe ? describe(answer) : message);
    } catch (error) {
      announce(`Could not change the fault rules: ${error.message}`, true);
    }
    await this.refresh();
  }

  /** Show ``GET /_emulator/faults``'s rules, in evaluation order. */
  update(rules) {
    this.rules = new Map(rules.map((rule) => [rule.id, rule]));
    const rows = rules.map((rule) => {
      const row = h("tr", { class: rule.retired ? "retired" : "", dataset: { id: rule.id } },
        h("th", { scope: "row" }, rule.id, h("br"),
          h("span", { class: "muted" }, rule.retired ? "retired" : rule.source === "profile" ? "profile" : "active")),
        h("td", { class: "wrap" }, summary(rule)),
        h("td", { class: "num" }, `${rule.matched ?? 0} / ${rule.fired ?? 0}`),
        h("td", {}, h("button", { type: "button", class: "remove", "aria-label": `Remove rule ${rule.id}`,
          title: `Remove rule ${rule.id}`,
          onclick: () => this.act("DELETE", `faults/${segment(rule.id)}`, `Rule ${rule.id} removed.`) },
        "✕")));
      return row;
    });
    const same = rows.length === this.tbody.rows.length
      && rows.every((row, index) => row.textContent === this.tbody.rows[index].textContent);
    if (!same) this.tbody.replaceChildren(...rows); // rebuilt only on change, so focus stays on a Remove button
    this.empty.hidden = rules.length > 0;
    setText(this.root.querySelector(".count"), rules.length ? `(${rules.length})` : "");
  }
}

/** The custom form as a rule document; the server checks it whole and answers what is wrong. */
function customRule(form) {
  const text = (name) => String(form.get(name) || "").trim();
  const number = (name) => (text(name) === "" ? undefined : Number(text(name)));
  const match = Object.fromEntries(["vendor", "method", "route"].map((name) => [name, text(name)])
    .filter(([, value]) => value));
  const respond = { status: number("status"), delay_ms: number("delay_ms") };
  for (const flag of ["drop", "html", "truncate"]) if (form.get(flag)) respond[flag] = true;
  if (text("retry_after")) respond.headers = { "Retry-After": text("retry_after") };
  const percent = number("probability");
  return {
    match, respond, when: text("when") || "before", times: number("times"), after: number("after"),
    probability: percent === undefined ? undefined : percent / 100,
  };
}
