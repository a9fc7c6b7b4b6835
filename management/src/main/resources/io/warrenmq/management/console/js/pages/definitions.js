/*
 * Definitions: download the broker's definitions (GET /api/definitions, RabbitMQ's JSON: users,
 * virtual hosts, permissions, queues, exchanges, bindings) and upload a file (POST
 * /api/definitions), as RabbitMQ's "Export / Import definitions".
 */
"use strict";

Pages.definitions = {
  title: "Definitions",

  mount(root) {
    const file = UI.el("input", { id: "definitions-file", type: "file", accept: ".json,application/json" });
    root.append(
      UI.el("h1", {}, "Definitions"),
      UI.el("div", { class: "grid2" },
        UI.panel("Export",
          UI.el("p", { class: "muted" }, "Users, virtual hosts, permissions, exchanges, queues and bindings " +
            "as RabbitMQ's definitions JSON (messages are not included)."),
          UI.el("button", { type: "button", id: "definitions-download", onclick: () => this.download() },
            "Download definitions")),
        UI.panel("Import",
          UI.el("p", { class: "muted" }, "Adds or updates what the file defines; nothing is deleted."),
          UI.el("form", { id: "definitions-upload", class: "inline", onsubmit: e => { e.preventDefault(); this.upload(file); } },
            file, UI.el("button", { type: "submit" }, "Upload definitions")))));
  },

  async download() {
    const defs = await UI.act(() => Api.get("definitions"));
    if (defs === undefined) return;
    const blob = new Blob([JSON.stringify(defs, null, 2)], { type: "application/json" });
    const a = UI.el("a", { href: URL.createObjectURL(blob),
      download: `warrenmq-definitions-${new Date().toISOString().substring(0, 10)}.json` });
    document.body.append(a);
    a.click();
    a.remove();
  },

  async upload(input) {
    if (!input.files.length) { UI.flash("Choose a file first.", "error"); return; }
    const text = await input.files[0].text();
    await UI.act(() => Api.post("definitions", text), "Definitions imported.");
  },

  refresh() {},
};
