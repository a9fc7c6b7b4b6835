/*
 * Queues: every queue the user sees (/api/queues), sortable by any column, filtered by name, each
 * name a link to its detail page; and a form to add a queue.
 */
"use strict";

Pages.queues = {
  title: "Queues",
  state: { sort: "name", reverse: false, filter: "" },
  rows: [],

  columns: [
    { key: "vhost", label: "Virtual host" },
    { key: "name", label: "Name",
      render: q => UI.el("a", { href: Console.href("queues", q.vhost, q.name), class: "qname" }, q.name) },
    { key: "features", label: "Features", value: q => Pages.queues.features(q),
      render: q => Pages.queues.features(q) },
    { key: "messages_ready", label: "Ready", num: true },
    { key: "messages_unacknowledged", label: "Unacked", num: true },
    { key: "messages", label: "Total", num: true },
    { key: "consumers", label: "Consumers", num: true },
    { key: "publish", label: "Incoming", num: true,
      value: q => Pages.queues.rate(q, "publish"), render: q => UI.rate({ rate: Pages.queues.rate(q, "publish") }) },
    { key: "deliver", label: "Deliver / get", num: true,
      value: q => Pages.queues.rate(q, "deliver_get"), render: q => UI.rate({ rate: Pages.queues.rate(q, "deliver_get") }) },
  ],

  rate(q, k) {
    const d = q.message_stats && q.message_stats[k + "_details"];
    return d ? d.rate : 0;
  },

  features(q) {
    const f = [];
    if (q.durable) f.push("D");
    if (q.auto_delete) f.push("AD");
    if (q.exclusive) f.push("Excl");
    for (const k of Object.keys(q.arguments || {})) {
      f.push({ "x-dead-letter-exchange": "DLX", "x-dead-letter-routing-key": "DLK", "x-message-ttl": "TTL", "x-max-length": "Lim",
        "x-max-priority": "Pri", "x-queue-mode": "Lazy" }[k] || k);
    }
    return f.join(" ");
  },

  mount(root) {
    this.root = root;
    const name = UI.el("input", { id: "new-queue-name", placeholder: "name", required: true });
    const vhost = UI.el("input", { id: "new-queue-vhost", value: "/", size: 8 });
    const durable = UI.el("input", { id: "new-queue-durable", type: "checkbox", checked: true });
    const dlx = UI.el("input", { id: "new-queue-dlx", placeholder: "(none)", size: 14 });
    root.append(
      UI.el("h1", {}, "Queues"),
      UI.el("div", { class: "toolbar" },
        UI.filterBox("queues-filter", this.state, () => this.draw()),
        UI.el("span", { id: "queues-count", class: "muted" })),
      UI.el("div", { id: "queues-table" }),
      UI.panel("Add a queue",
        UI.el("form", { class: "inline", id: "add-queue", onsubmit: async e => {
          e.preventDefault();
          const args = dlx.value ? { "x-dead-letter-exchange": dlx.value } : {};
          const ok = await UI.act(() => Api.put(`queues/${Api.seg(vhost.value)}/${Api.seg(name.value)}`,
            { durable: durable.checked, auto_delete: false, arguments: args }), `Queue '${name.value}' added.`);
          if (ok !== undefined) { name.value = ""; Console.refresh(); }
        } },
          UI.field("Virtual host", vhost), UI.field("Name", name),
          UI.field("Durable", durable), UI.field("Dead-letter exchange", dlx),
          UI.el("button", { type: "submit" }, "Add queue"))));
  },

  async refresh() {
    this.rows = await Api.get("queues");
    this.draw();
  },

  draw() {
    const table = UI.table("queues", this.columns, this.rows, this.state, () => this.draw());
    document.getElementById("queues-table").replaceChildren(table);
    const shown = table.querySelectorAll("tbody tr[data-name]").length;
    document.getElementById("queues-count").textContent =
      `${shown} of ${this.rows.length} queue${this.rows.length === 1 ? "" : "s"}`;
  },
};
