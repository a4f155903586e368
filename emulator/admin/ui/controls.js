// The clock, reset and reseed, and the state's export (download) and import (upload).
import { call, settings } from "./api.js";
import { announce, duration, instant, setText } from "./dom.js";

/** Run one admin action, say how it went, then refresh the page's view. */
async function act(work, done, refresh) {
  try {
    const answer = await work();
    announce(typeof done === "function" ? done(answer) : done);
    await refresh(true);
  } catch (error) {
    announce(error.message, true);
  }
}

export class ClockView {
  constructor(root, refresh) {
    this.root = root;
    this.frozen = null;
    const move = (body, done) => act(() => call("POST", "clock", { body }), done, refresh);
    for (const button of root.querySelectorAll("[data-testid=clock-advance]")) {
      const seconds = Number(button.dataset.seconds);
      button.addEventListener("click", () => move({ advance: seconds }, (clock) =>
        `Clock advanced ${duration(seconds)}: now ${instant(clock.now)}.`));
    }
    this.freeze = root.querySelector("button.freeze");
    this.freeze.addEventListener("click", () => move({ frozen: !this.frozen },
      (clock) => (clock.frozen ? "Clock frozen." : "Clock running.")));
    const form = root.querySelector("form.set");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const moment = String(new FormData(form).get("now") || "").trim();
      move({ now: moment }, (clock) => `Clock set to ${instant(clock.now)}.`);
    });
  }

  /** Show the clock of a ``GET /_emulator/queue`` answer. */
  update(clock) {
    setText(this.root.querySelector(".now"), instant(clock.now));
    this.root.querySelector(".now").setAttribute("datetime", clock.now);
    this.frozen = clock.frozen;
    setText(this.root.querySelector(".mode"), clock.frozen ? "frozen" : "running");
    this.root.querySelector(".mode").className = `mode badge ${clock.frozen ? "frozen" : "running"}`;
    setText(this.freeze, clock.frozen ? "Unfreeze" : "Freeze");
    this.freeze.setAttribute("aria-pressed", String(clock.frozen));
  }
}

export class StateView {
  constructor(root, refresh, rebuilt) {
    const reset = root.querySelector("form.reset");
    reset.addEventListener("submit", (event) => {
      event.preventDefault();
      const form = new FormData(reset);
      const seed = String(form.get("seed") || "").trim();
      const body = { faults: Boolean(form.get("faults")) };
      if (seed) body.seed = Number(seed);
      act(async () => { const answer = await call("POST", "reset", { body }); rebuilt(); return answer; },
        (answer) => `Session ${answer.session} reset (seed ${answer.seed}).`, refresh);
    });
    root.querySelector("button.export").addEventListener("click", () => act(async () => {
      const state = await call("GET", "state");
      download(`emulator-state-${settings.session}.json`, JSON.stringify(state, null, 2));
    }, "State exported.", refresh));
    const file = root.querySelector("input[type=file]");
    root.querySelector("form.import").addEventListener("submit", (event) => {
      event.preventDefault();
      if (!file.files.length) { announce("Choose a state file to import first.", true); return; }
      act(async () => {
        const answer = await call("PUT", "state", { body: await file.files[0].text(), raw: true });
        rebuilt();
        return answer;
      }, (answer) => `State imported: ${answer.messages} messages.`, refresh);
    });
  }
}

function download(name, text) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
