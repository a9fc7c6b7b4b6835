/*
 * A small SVG line chart for the rate and depth graphs (no chart library: the console loads
 * nothing from outside this server, and a few polylines are all it needs).
 */
"use strict";

const Chart = {
  /**
   * series: [{label, cls, points: [[timeMs, value], ...]}]; draws the last windowMs.
   * Returns an <svg> element.
   */
  lines(series, opts) {
    const W = 640, H = 180, L = 48, R = 12, T = 12, B = 24;
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    svg.setAttribute("class", "chart");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", opts.title || "chart");
    const now = Date.now();
    const t0 = now - opts.windowMs;
    let max = 0;
    for (const s of series) for (const [, v] of s.points) max = Math.max(max, v);
    max = Chart.niceMax(opts.integer ? Math.max(max, 4) : max);
    const x = t => L + ((t - t0) / opts.windowMs) * (W - L - R);
    const y = v => T + (1 - v / max) * (H - T - B);
    const add = (tag, attrs, text) => {
      const e = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      if (text !== undefined) e.textContent = text;
      svg.append(e);
      return e;
    };
    for (let i = 0; i <= 4; i++) {
      const v = (max * i) / 4;
      add("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" });
      add("text", { x: L - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" },
        Chart.short(v));
    }
    const secs = Math.round(opts.windowMs / 1000);
    add("text", { x: L, y: H - 6, class: "axis" }, `-${secs} s`);
    add("text", { x: W - R, y: H - 6, class: "axis", "text-anchor": "end" }, "now");
    for (const s of series) {
      const pts = s.points.filter(([t]) => t >= t0);
      if (pts.length === 0) continue;
      add("polyline", {
        points: pts.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" "),
        class: "series " + s.cls,
      });
      // the latest sample as a dot: visible from the first sample on
      const [lt, lv] = pts[pts.length - 1];
      add("circle", { cx: x(lt).toFixed(1), cy: y(lv).toFixed(1), r: 3, class: "dot " + s.cls });
    }
    return svg;
  },

  /** A legend for the series, with their latest values. */
  legend(series, format) {
    return UI.el("ul", { class: "legend" }, series.map(s => {
      const last = s.points.length ? s.points[s.points.length - 1][1] : 0;
      return UI.el("li", {}, UI.el("i", { class: "swatch " + s.cls }), s.label + " ",
        UI.el("b", {}, format ? format(last) : UI.num(last)));
    }));
  },

  niceMax(v) {
    if (v <= 0) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    // four grid intervals: steps of p/4, p/2, p, 2p or 2.5p read well
    for (const m of [1, 2, 4, 8, 10]) if (v <= m * p) return m * p;
    return 10 * p;
  },

  short(v) {
    if (v >= 1e6) return (v / 1e6).toFixed(v % 1e6 ? 1 : 0) + "M";
    if (v >= 1e3) return (v / 1e3).toFixed(v % 1e3 ? 1 : 0) + "k";
    return String(Math.round(v * 100) / 100);
  },
};
