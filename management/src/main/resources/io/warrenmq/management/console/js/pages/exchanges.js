/*
 * Exchanges: the list (sortable, filtered by name) and a form to publish a message to one
 * (POST /api/exchanges/{vhost}/{name}/publish); the answer says whether it was routed.
 */
"use strict";

Pages.exchanges = {
  title: "Exchanges",
  state: { sort: "name", reverse: false, filter: "" },
  rows: [],

  columns: [
    { key: "vhost", label: "Virtual host" },
    { key: "name", label: "Name", value: x => x.name || "(AMQP default)",
      render: x => UI.el("a", { href: "#/exchanges", class: "xname",
        onclick: e => { e.preventDefault(); Pages.exchanges.choose(x); } }, x.name || "(AMQP default)") },
    { key: "type", label: "Type" },
    { key: "features", label: "Features",
      render: x => [x.durable ? "D" : "", x.auto_delete ? "AD" : "", x.internal ? "I" : ""].filter(Boolean).join(" ") },
  ],

  mount(root) {
    const f = id => UI.el("input", { id });
    this.form = {
      vhost: f("publish-vhost"), exchange: f("publish-exchange"), key: f("publish-routing-key"),
      deliveryMode: UI.el("select", { id: "publish-delivery-mode" },
        UI.el("option", { value: "1" }, "1 - non-persistent"), UI.el("option", { value: "2" }, "2 - persistent")),
      contentType: f("publish-content-type"),
      headers: UI.el("input", { id: "publish-headers", placeholder: '{"k": "v"}', size: 24 }),
      payload: UI.el("textarea", { id: "publish-payload", rows: 4, cols: 60 }),
    };
    this.form.vhost.value = "/";
    const p = this.form;
    root.append(
      UI.el("h1", {}, "Exchanges"),
      UI.el("div", { class: "toolbar" }, UI.filterBox("exchanges-filter", this.state, () => this.draw())),
      UI.el("div", { id: "exchanges-table" }),
      UI.panel("Publish a message",
        UI.el("p", { class: "muted" }, "Click an exchange's name to fill in the first two fields. " +
          "Leave the exchange empty for the default exchange (the routing key is then a queue name)."),
        UI.el("form", { id: "publish-form", class: "stack", onsubmit: e => { e.preventDefault(); this.publish(); } },
          UI.el("div", { class: "inline" }, UI.field("Virtual host", p.vhost), UI.field("Exchange", p.exchange),
            UI.field("Routing key", p.key)),
          UI.el("div", { class: "inline" }, UI.field("Delivery mode", p.deliveryMode),
            UI.field("Content type", p.contentType), UI.field("Headers (JSON)", p.headers)),
          UI.field("Payload", p.payload),
          UI.el("div", {}, UI.el("button", { type: "submit", id: "publish-button" }, "Publish message")))));
  },

  choose(x) {
    this.form.vhost.value = x.vhost;
    this.form.exchange.value = x.name;
    this.form.key.focus();
  },

  async publish() {
    const p = this.form;
    let headers = {};
    if (p.headers.value.trim()) {
      try { headers = JSON.parse(p.headers.value); } catch (e) {
        UI.flash("Headers must be a JSON object: " + e.message, "error");
        return;
      }
    }
    const properties = { delivery_mode: +p.deliveryMode.value, headers };
    if (p.contentType.value) properties.content_type = p.contentType.value;
    const exchange = p.exchange.value || "amq.default";
    await UI.act(() => Api.post(`exchanges/${Api.seg(p.vhost.value)}/${Api.seg(exchange)}/publish`,
      { properties, routing_key: p.key.value, payload: p.payload.value, payload_encoding: "string" }),
      r => r.routed ? "Message published." : "Message published, but not routed: no queue is bound for that routing key.");
  },

  async refresh() {
    this.rows = await Api.get("exchanges");
    this.draw();
  },

  draw() {
    document.getElementById("exchanges-table").replaceChildren(
      UI.table("exchanges", this.columns, this.rows, this.state, () => this.draw()));
  },
};
