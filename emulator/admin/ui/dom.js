// Small DOM helpers. Text always goes in through textContent: message texts and journal bodies are untrusted.

/** Build an element: h("td", {class: "num", dataset: {id: 1}}, "text", child). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "dataset") Object.assign(element.dataset, value);
    else if (name === "class") element.className = value;
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false)
    .map((child) => (child instanceof Node ? child : String(child))));
  return element;
}

/** Set an element's text only when it changed, so live updates do not disturb selection or screen readers. */
export function setText(element, text) {
  const value = String(text);
  if (element.textContent !== value) element.textContent = value;
}

/** A whole number with thousands separators. */
export function count(value) {
  return typeof value === "number" ? value.toLocaleString("en-US") : "–";
}

/** Seconds as d h:mm:ss ("2d 03:04:05", "04:05"); "–" for none. */
export function duration(seconds) {
  if (typeof seconds !== "number" || seconds <= 0) return "–";
  const days = Math.floor(seconds / 86400);
  const clock = new Date((seconds % 86400) * 1000).toISOString().slice(11, 19).replace(/^00:/, "");
  return days ? `${days}d ${clock}` : clock;
}

/** An ISO-8601 instant as "2026-11-24 12:00:00" (UTC, as the emulator's clock is). */
export function instant(value) {
  return typeof value === "string" ? value.replace("T", " ").replace(/(\.\d+)?(\+00:00|Z)$/, "") : "–";
}

/** Any JSON value as indented text. */
export function pretty(value) {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

/** Announce a result to everyone, screen readers included, in the page's status line. */
export function announce(text, failed = false) {
  const status = document.getElementById("announce");
  status.classList.toggle("failed", failed);
  status.textContent = text;
}
