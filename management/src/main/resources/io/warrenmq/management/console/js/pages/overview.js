/*
 * Overview: message totals and rates (with a chart of the last minutes), object counts, the node's
 * memory and disk alarms. Sources: /api/overview, /api/nodes (monitoring users and up; others see
 * no node box) and /api/health/checks/alarms.
 */
"use strict";

Pages.overview = {
  title: "Overview",
  WINDOW_MS: 60 * 1000,
  samples: { ready: [], unacked: [], publish: [], deliver: [], ack: [] },

  mount(root) {
    this.root = root;
    root.append(
      UI.el("h1", {}, "Overview"),
      UI.el("div", { id: "alarms" }),
      UI.el("div", { class: "grid2" },
        UI.panel("Queued messages", UI.el("div", { id: "overview-queued" })),
        UI.panel("Message rates", UI.el("div", { id: "overview-rates" }))),
      UI.el("div", { class: "grid2" },
        UI.panel("Totals", UI.el("div", { id: "overview-totals" })),
        UI.panel("Node", UI.el("div", { id: "overview-node" }))));
  },

  push(key, now, v) {
    const s = this.samples[key];
    s.push([now, v || 0]);
    while (s.length && s[0][0] < now - this.WINDOW_MS) s.shift();
  },

  async refresh() {
    const [o, alarms, nodes] = await Promise.all([
      Api.get("overview"),
      Api.get("health/checks/alarms").then(() => null, e => e),
      Api.get("nodes").catch(() => null),
    ]);
    const now = Date.now();
    const qt = o.queue_totals || {};
    const ms = o.message_stats || {};
    const rate = k => (ms[k + "_details"] || {}).rate || 0;
    this.push("ready", now, qt.messages_ready);
    this.push("unacked", now, qt.messages_unacknowledged);
    this.push("publish", now, rate("publish"));
    this.push("deliver", now, rate("deliver_get"));
    this.push("ack", now, rate("ack"));

    const node = nodes && nodes[0];
    const alarmBox = document.getElementById("alarms");
    const active = [];
    if (node && node.mem_alarm) active.push("Memory alarm: publishers are blocked (" +
      UI.bytes(node.mem_used) + " used of " + UI.bytes(node.mem_limit) + ").");
    if (node && node.disk_free_alarm) active.push("Disk alarm: free disk space is below the limit; publishers are blocked.");
    if (active.length === 0 && alarms && alarms.status === 503) {
      active.push("Alarm in effect: " + (alarms.reason || "resource alarm"));
    }
    alarmBox.replaceChildren(active.length
      ? UI.el("div", { class: "alarm", id: "alarm-on" }, active.join(" "))
      : UI.el("div", { class: "no-alarm", id: "alarm-off" }, "No alarms in effect."));

    const queued = [
      { label: "Ready", cls: "s1", points: this.samples.ready },
      { label: "Unacked", cls: "s2", points: this.samples.unacked },
    ];
    const rates = [
      { label: "Publish", cls: "s1", points: this.samples.publish },
      { label: "Deliver / get", cls: "s2", points: this.samples.deliver },
      { label: "Ack", cls: "s3", points: this.samples.ack },
    ];
    document.getElementById("overview-queued").replaceChildren(
      Chart.lines(queued, { windowMs: this.WINDOW_MS, title: "queued messages", integer: true }),
      Chart.legend(queued),
      UI.el("p", { class: "big" }, "Total ", UI.el("b", { id: "overview-messages" }, UI.num(qt.messages || 0))));
    document.getElementById("overview-rates").replaceChildren(
      Chart.lines(rates, { windowMs: this.WINDOW_MS, title: "message rates" }),
      Chart.legend(rates, v => (Math.round(v * 10) / 10) + "/s"));

    const ot = o.object_totals || {};
    document.getElementById("overview-totals").replaceChildren(UI.el("dl", { class: "facts" },
      ["connections", "channels", "exchanges", "queues", "consumers"].flatMap(k =>
        [UI.el("dt", {}, k[0].toUpperCase() + k.substring(1)), UI.el("dd", {}, UI.num(ot[k] || 0))])));

    const facts = [
      ["Product", (o.product_name || "WarrenMQ") + " " + (o.product_version || "")],
      ["Node", o.node],
      ["Runtime", o.erlang_version],
    ];
    if (node) {
      facts.push(["Memory (message bodies)", UI.bytes(node.mem_used) + " of " + UI.bytes(node.mem_limit)]);
      facts.push(["Disk free", UI.bytes(node.disk_free)]);
      facts.push(["Uptime", Math.floor(node.uptime / 60000) + " min"]);
    }
    document.getElementById("overview-node").replaceChildren(UI.el("dl", { class: "facts" },
      facts.flatMap(([k, v]) => [UI.el("dt", {}, k), UI.el("dd", {}, v)])));
  },
};
