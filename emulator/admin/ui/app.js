// The dashboard: ask for the admin token if the emulator wants one, then poll the admin API once a second.
//
// Polling, not a held connection: every update is one short request, so an open tab never holds a server
// worker, and the server keeps nothing per tab. Polling pauses while the tab is hidden.
import { ApiError, Unauthorized, call, settings } from "./api.js";
import { ClockView, StateView } from "./controls.js";
import { refreshDetail } from "./detail.js";
import { announce, h, instant, setText } from "./dom.js";
import { FaultsView } from "./faults.js";
import { JournalView } from "./journal.js";
import { MediaView } from "./media.js";
import { QueueView } from "./queue.js";

const POLL_MS = 1000;
const SLOW_MS = 5000; // the session list, and fault rules while no traffic moves their counts
const OFFLINE_MS = 5000; // while the emulator does not answer
const QUEUE_LIMIT = 50; // messages per creator, each way (waiting and started)

const $ = (selector) => document.querySelector(selector);
const queue = new QueueView($("#queue"));
const faults = new FaultsView($("#faults"), () => poller.now(true));
const journal = new JournalView($("#journal tbody"), $("#journal form"), (id) => faults.describe(id));
const clock = new ClockView($("#clock"), (force) => poller.now(force));
const media = new MediaView($("#media"));
new StateView($("#state"), (force) => poller.now(force), () => rebuilt());
let lastSlow = 0;

/** One update: the queue (with the clock and the journal's head), then whatever that says has moved. */
async function tick(force) {
  const snapshot = await call("GET", "queue", { query: { limit: QUEUE_LIMIT } });
  const replaced = snapshot.journal.latest < journal.known; // the session was rebuilt behind our back
  const moved = replaced || snapshot.journal.latest !== journal.known;
  const slow = force || Date.now() - lastSlow > SLOW_MS;
  if (moved || slow) faults.update((await call("GET", "faults")).rules);
  if (slow) {
    lastSlow = Date.now();
    showSessions((await call("GET", "sessions")).sessions);
  }
  await journal.sync(snapshot.journal);
  clock.update(snapshot.clock);
  queue.update(snapshot.creators, replaced);
  if (moved || slow) media.update(await call("GET", "media")); // after the journal: it adds no wait in between
  await refreshDetail();
  setText($("#live"), `Live · ${instant(snapshot.clock.now)}`);
}

class Poller {
  constructor(work) {
    this.work = work;
    this.timer = null;
    this.running = false;
    this.pending = null; // a request for another run that came while one was running (true: forced)
    this.stopped = true;
  }

  start() {
    this.stopped = false;
    this.now(true);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Run an update now (or right after the one running), then keep going once a second while visible. */
  async now(force = false) {
    if (this.stopped) return;
    if (this.running) {
      this.pending = this.pending || force;
      return;
    }
    clearTimeout(this.timer);
    if (document.hidden) {
      setText($("#live"), "Paused while the tab is hidden");
      return;
    }
    this.running = true;
    let delay = POLL_MS;
    try {
      await this.work(force);
    } catch (error) {
      if (error instanceof Unauthorized) {
        this.stop();
        locked();
        return;
      }
      setText($("#live"), `Offline: ${error.message}`);
      delay = OFFLINE_MS;
    } finally {
      this.running = false;
    }
    if (this.pending !== null) {
      const again = this.pending;
      this.pending = null;
      this.now(again);
    } else if (!this.stopped) {
      this.timer = setTimeout(() => this.now(), delay);
    }
  }
}

const poller = new Poller(tick);
document.addEventListener("visibilitychange", () => { if (!document.hidden) poller.now(true); });
journal.changed = () => poller.now();

function rebuilt() {
  queue.clear();
  journal.clear();
}

function showSessions(names) {
  const select = $("#session");
  const wanted = [settings.session, ...names.filter((name) => name !== settings.session)]
    .sort((a, b) => (a === "default" ? -1 : b === "default" ? 1 : a.localeCompare(b)));
  const current = [...select.options].map((option) => option.value);
  if (wanted.join("\n") !== current.join("\n")) {
    select.replaceChildren(...wanted.map((name) => h("option", { value: name }, name)));
  }
  select.value = settings.session;
  select.disabled = false;
}

$("#session").addEventListener("change", (event) => {
  settings.session = event.target.value;
  $("#detail").close();
  rebuilt();
  announce(`Showing session ${settings.session}.`);
  poller.now(true);
});

/** Hide everything and ask for the token; a token the emulator refused is forgotten. */
function locked() {
  const refused = Boolean(settings.token);
  settings.token = "";
  $("#dashboard").hidden = true;
  $("#sessions").hidden = true;
  $("#login").hidden = false;
  $("#forget").hidden = true;
  setText($("#login .error"), refused ? "The emulator refused that token." : "");
  setText($("#live"), "Locked");
  $("#token").focus();
}

function unlocked() {
  $("#login").hidden = true;
  $("#dashboard").hidden = false;
  $("#sessions").hidden = false;
  $("#forget").hidden = !settings.token;
}

$("#login form").addEventListener("submit", async (event) => {
  event.preventDefault();
  settings.token = $("#token").value.trim();
  $("#token").value = "";
  await open();
});

$("#forget").addEventListener("click", () => {
  settings.token = "";
  poller.stop();
  rebuilt();
  locked();
});

/** Check the token (or that none is needed) with a cheap call, then show the dashboard and start polling. */
async function open() {
  try {
    await call("GET", "sessions");
  } catch (error) {
    if (error instanceof Unauthorized) {
      locked();
    } else {
      setText($("#live"), `Offline: ${error instanceof ApiError ? error.message : error}`);
      setTimeout(open, OFFLINE_MS);
    }
    return;
  }
  unlocked();
  poller.start();
}

open();
