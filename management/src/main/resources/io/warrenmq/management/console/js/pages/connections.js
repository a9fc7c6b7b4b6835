/* Connections: the list, and a Close button per connection (DELETE /api/connections/{name}). */
"use strict";

Pages.connections = {
  title: "Connections",
  state: { sort: "name", reverse: false, filter: "" },
  rows: [],

  columns: [
    { key: "name", label: "Name" },
    { key: "user", label: "User" },
    { key: "vhost", label: "Virtual host" },
    { key: "protocol", label: "Protocol" },
    { key: "channels", label: "Channels", num: true },
    { key: "client", label: "Client", value: c => Pages.connections.client(c),
      render: c => Pages.connections.client(c) },
    { key: "close", label: "",
      render: c => UI.el("button", { type: "button", class: "danger small close-connection",
        onclick: () => Pages.connections.close(c.name) }, "Close") },
  ],

  client(c) {
    const p = c.client_properties || {};
    return [p.product, p.version].filter(Boolean).join(" ");
  },

  mount(root) {
    root.append(
      UI.el("h1", {}, "Connections"),
      UI.el("div", { class: "toolbar" }, UI.filterBox("connections-filter", this.state, () => this.draw())),
      UI.el("div", { id: "connections-table" }));
  },

  async close(name) {
    if (!confirm(`Close connection '${name}'? Its client gets 320 CONNECTION_FORCED.`)) return;
    await UI.act(() => Api.del(`connections/${Api.seg(name)}`, { "X-Reason": "Closed in the WarrenMQ web console" }),
      "Connection closed.");
    Console.refresh();
  },

  async refresh() {
    this.rows = await Api.get("connections");
    this.draw();
  },

  draw() {
    document.getElementById("connections-table").replaceChildren(
      UI.table("connections", this.columns, this.rows, this.state, () => this.draw()));
  },
};
