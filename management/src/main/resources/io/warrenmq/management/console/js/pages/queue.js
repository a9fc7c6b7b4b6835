/*
 * One queue (#/queues/{vhost}/{name}): its counts, a chart of its depth and rates since the page
 * opened, and its actions: get messages, purge, move the ready messages to another queue, re-drive
 * a dead-letter queue's messages to the queues named by their x-death headers (the last two are
 * WarrenMQ's API extensions warrenmq-move and warrenmq-redrive), delete.
 */
"use strict";

Pages.queue = {
  title: "Queue",
  WINDOW_MS: 60 * 1000,

  mount(root, params) {
    [this.vhost, this.name] = params;
    this.path = `queues/${Api.seg(this.vhost)}/${Api.seg(this.name)}`;
    this.samples = { ready: [], unacked: [], publish: [], deliver: [], ack: [] };
    this.destinationsLoaded = false;
    const count = UI.el("input", { id: "get-count", type: "number", min: 1, value: 1, size: 4 });
    const ackmode = UI.el("select", { id: "get-ackmode" },
      UI.el("option", { value: "ack_requeue_true" }, "Nack, requeue"),
      UI.el("option", { value: "ack_requeue_false" }, "Ack (remove from queue)"),
      UI.el("option", { value: "reject_requeue_true" }, "Reject, requeue"),
      UI.el("option", { value: "reject_requeue_false" }, "Reject, no requeue"));
    const destination = UI.el("select", { id: "move-destination" });
    const filter = UI.el("input", { id: "move-filter", placeholder: "JMS selector (optional)", size: 24 });
    root.append(
      UI.el("p", { class: "crumbs" }, UI.el("a", { href: "#/queues" }, "Queues"),
        " \u203a virtual host ", UI.el("b", {}, this.vhost)),
      UI.el("h1", { id: "queue-title" }, this.name),
      UI.el("div", { class: "grid2" },
        UI.panel("Queued messages", UI.el("div", { id: "queue-depth" })),
        UI.panel("Message rates", UI.el("div", { id: "queue-rates" }))),
      UI.el("div", { class: "grid2" },
        UI.panel("Details", UI.el("div", { id: "queue-details" })),
        UI.el("div", {},
          UI.panel("Move messages",
            UI.el("p", { class: "muted" }, "Moves the ready messages to another queue of this virtual host; " +
              "each one is stored in the destination before it leaves this queue."),
            UI.el("form", { class: "inline", id: "move-form", onsubmit: e => { e.preventDefault(); this.move(destination.value, filter.value); } },
              UI.field("Destination queue", destination), UI.field("Filter", filter),
              UI.el("button", { type: "submit", id: "move-button" }, "Move messages"))),
          UI.panel("Re-drive dead-lettered messages",
            UI.el("p", { class: "muted" }, "Sends each ready message back to the queue named by the first entry of " +
              "its x-death header (the queue it was dead-lettered from). Messages without one stay here."),
            UI.el("button", { type: "button", id: "redrive-button", onclick: () => this.redrive() },
              "Re-drive to source queues")),
          UI.panel("Purge and delete",
            UI.el("button", { type: "button", id: "purge-button", class: "danger", onclick: () => this.purge() }, "Purge messages"),
            " ",
            UI.el("button", { type: "button", id: "delete-button", class: "danger", onclick: () => this.remove() }, "Delete queue")))),
      UI.panel("Get messages",
        UI.el("p", { class: "muted" }, "Getting messages is a destructive action: with requeue they come back marked redelivered, at the queue's tail."),
        UI.el("form", { class: "inline", id: "get-form", onsubmit: e => { e.preventDefault(); this.getMessages(+count.value, ackmode.value); } },
          UI.field("Messages", count), UI.field("Ack mode", ackmode),
          UI.el("button", { type: "submit", id: "get-button" }, "Get messages")),
        UI.el("div", { id: "get-result" })));
  },

  push(key, now, v) {
    const s = this.samples[key];
    s.push([now, v || 0]);
    while (s.length && s[0][0] < now - this.WINDOW_MS) s.shift();
  },

  async refresh() {
    let q;
    try {
      q = await Api.get(this.path);
    } catch (e) {
      if (e.status === 404) {
        document.getElementById("queue-details").replaceChildren(
          UI.el("p", { class: "error" }, "This queue does not exist (any more)."));
        return;
      }
      throw e;
    }
    if (!this.destinationsLoaded) await this.loadDestinations();
    const now = Date.now();
    const ms = q.message_stats || {};
    const rate = k => (ms[k + "_details"] || {}).rate || 0;
    this.push("ready", now, q.messages_ready);
    this.push("unacked", now, q.messages_unacknowledged);
    this.push("publish", now, rate("publish"));
    this.push("deliver", now, rate("deliver_get"));
    this.push("ack", now, rate("ack"));
    const depth = [
      { label: "Ready", cls: "s1", points: this.samples.ready },
      { label: "Unacked", cls: "s2", points: this.samples.unacked },
    ];
    const rates = [
      { label: "Publish", cls: "s1", points: this.samples.publish },
      { label: "Deliver / get", cls: "s2", points: this.samples.deliver },
      { label: "Ack", cls: "s3", points: this.samples.ack },
    ];
    document.getElementById("queue-depth").replaceChildren(
      Chart.lines(depth, { windowMs: this.WINDOW_MS, title: "queued messages", integer: true }), Chart.legend(depth));
    document.getElementById("queue-rates").replaceChildren(
      Chart.lines(rates, { windowMs: this.WINDOW_MS, title: "message rates" }),
      Chart.legend(rates, v => (Math.round(v * 10) / 10) + "/s"));
    const facts = [
      ["Virtual host", q.vhost],
      ["Ready", UI.num(q.messages_ready), "queue-ready"],
      ["Unacked", UI.num(q.messages_unacknowledged), "queue-unacked"],
      ["Total", UI.num(q.messages), "queue-messages"],
      ["Consumers", UI.num(q.consumers)],
      ["Memory", UI.bytes(q.memory)],
      ["Features", Pages.queues.features(q) || "none"],
      ["Arguments", Object.keys(q.arguments || {}).length ? JSON.stringify(q.arguments) : "none"],
    ];
    document.getElementById("queue-details").replaceChildren(UI.el("dl", { class: "facts" },
      facts.flatMap(([k, v, id]) => [UI.el("dt", {}, k), UI.el("dd", { id }, v)])));
  },

  async loadDestinations() {
    const all = await Api.get(`queues/${Api.seg(this.vhost)}`);
    const select = document.getElementById("move-destination");
    select.replaceChildren(...all.filter(q => q.name !== this.name)
      .map(q => UI.el("option", { value: q.name }, q.name)));
    this.destinationsLoaded = true;
  },

  async move(destination, filter) {
    if (!destination) { UI.flash("Choose a destination queue.", "error"); return; }
    const body = { destination };
    if (filter) body.filter = filter;
    await UI.act(() => Api.post(this.path + "/warrenmq-move", body),
      r => `Moved ${UI.num(r.moved)} message${r.moved === 1 ? "" : "s"} to '${destination}'; ${UI.num(r.remaining)} left here.`);
    Console.refresh();
  },

  async redrive() {
    await UI.act(() => Api.post(this.path + "/warrenmq-redrive"),
      r => `Re-drove ${UI.num(r.moved)} message${r.moved === 1 ? "" : "s"} to their source queues; ` +
        `${UI.num(r.remaining)} stayed (no x-death origin, or it no longer exists).`);
    Console.refresh();
  },

  async purge() {
    if (!confirm(`Purge every ready message of queue '${this.name}'?`)) return;
    await UI.act(() => Api.del(this.path + "/contents"), `Queue '${this.name}' purged.`);
    Console.refresh();
  },

  async remove() {
    if (!confirm(`Delete queue '${this.name}' and its messages?`)) return;
    const ok = await UI.act(() => Api.del(this.path), `Queue '${this.name}' deleted.`);
    if (ok !== undefined) location.hash = "#/queues";
  },

  async getMessages(count, ackmode) {
    const msgs = await UI.act(() => Api.post(this.path + "/get",
      { count, ackmode, encoding: "auto", truncate: 50000 }));
    if (msgs === undefined) return;
    const out = document.getElementById("get-result");
    if (msgs.length === 0) {
      out.replaceChildren(UI.el("p", { class: "muted", id: "get-empty" }, "Queue is empty."));
    } else {
      out.replaceChildren(...msgs.map((m, i) => UI.el("div", { class: "message" },
        UI.el("h3", {}, `Message ${i + 1}`),
        UI.el("dl", { class: "facts" },
          UI.el("dt", {}, "Exchange"), UI.el("dd", {}, m.exchange || "(AMQP default)"),
          UI.el("dt", {}, "Routing key"), UI.el("dd", {}, m.routing_key),
          UI.el("dt", {}, "Redelivered"), UI.el("dd", {}, String(m.redelivered)),
          UI.el("dt", {}, "Properties"), UI.el("dd", {}, UI.el("code", {}, JSON.stringify(m.properties))),
          UI.el("dt", {}, "Payload"),
          UI.el("dd", {}, `${UI.num(m.payload_bytes)} bytes, encoding ${m.payload_encoding}`,
            UI.el("pre", { class: "payload" }, m.payload))))));
    }
    Console.refresh();
  },
};
