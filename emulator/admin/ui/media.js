// Vaults and uploads: each creator's vault by type, the newest uploads with their processing state, and the
// session's vendor events (applied or still to come). Rebuilt on each poll: it is a few dozen rows at most.
import { count, h, instant } from "./dom.js";

export class MediaView {
  constructor(root) {
    this.root = root;
  }

  update(snapshot) {
    const vaults = snapshot.creators.map((creator) => h("p", { dataset: { testid: "vault", creator: creator.id } },
      h("strong", {}, creator.name), " · ",
      Object.entries(creator.vault).map(([type, number]) => `${count(number)} ${type}`).join(", "), " · ",
      creator.folders.filter((folder) => folder.count).map((folder) => `${folder.name} ${count(folder.count)}`)
        .join(", ")));
    this.root.querySelector(".vaults").replaceChildren(...vaults);
    const uploads = snapshot.creators.flatMap((creator) => creator.uploads.map((upload) => h("tr",
      { dataset: { testid: "upload", stage: upload.stage } },
      h("td", { class: "wrap" }, upload.id), h("td", {}, `${upload.filename} (${upload.type})`),
      h("td", { class: "num" }, count(upload.size)), h("td", { class: "num" }, upload.parts),
      h("td", {}, h("span", { class: `badge ${upload.stage}` }, upload.stage)))));
    this.root.querySelector(".uploads").replaceChildren(...uploads);
    this.root.querySelector(".no-uploads").hidden = uploads.length > 0;
    const events = snapshot.events.map((event) => h("li", { dataset: { testid: "event", applied: event.applied } },
      `${event.kind} → ${event.target} at ${instant(event.at)} `,
      h("span", { class: "badge" }, event.applied ? "happened" : "to come")));
    this.root.querySelector(".events").replaceChildren(...events);
    this.root.querySelector(".no-events").hidden = events.length > 0;
  }
}
