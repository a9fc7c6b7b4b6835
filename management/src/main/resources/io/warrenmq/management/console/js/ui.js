/*
 * DOM helpers shared by the pages: element construction (text only, never HTML strings, so
 * names from the broker cannot inject markup), number formatting, flash messages, forms and a
 * sortable, filterable table.
 */
"use strict";

const UI = {
  /** el("td", {class: "num", onclick: f}, "text", child...) */
  el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) e.addEventListener(k.substring(2), v);
      else if (k === "class") e.className = v;
      else if (k === "value") e.value = v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  },

  num(n) {
    if (n === undefined || n === null) return "";
    return Number(n).toLocaleString("en-US");
  },

  rate(details) {
    const r = details && typeof details.rate === "number" ? details.rate : 0;
    return (Math.round(r * 10) / 10).toLocaleString("en-US") + "/s";
  },

  bytes(n) {
    if (n === undefined || n === null) return "";
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    let v = Number(n);
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v : v.toFixed(1)) + " " + units[i];
  },

  vhostLabel(v) { return v === "/" ? "/" : v; },

  flashTimer: null,

  /** Shows a message above the page: kind "ok" or "error". */
  flash(text, kind) {
    const f = document.getElementById("flash");
    f.textContent = text;
    f.className = "flash " + (kind || "ok");
    f.hidden = false;
    clearTimeout(UI.flashTimer);
    UI.flashTimer = setTimeout(() => { f.hidden = true; }, kind === "error" ? 10000 : 5000);
  },

  /** Runs an action, flashes its result or its error; returns the result or undefined. */
  async act(work, okText) {
    try {
      const r = await work();
      if (okText) UI.flash(typeof okText === "function" ? okText(r) : okText, "ok");
      return r;
    } catch (e) {
      UI.flash(e.message, "error");
      return undefined;
    }
  },

  /** A titled box. */
  panel(title, ...children) {
    return UI.el("div", { class: "panel" }, UI.el("h2", {}, title), ...children);
  },

  /** A <label> with a control inside. */
  field(label, control) {
    return UI.el("label", { class: "field" }, UI.el("span", {}, label), control);
  },

  select(id, options, selected) {
    return UI.el("select", { id },
      options.map(o => UI.el("option", { value: o, selected: o === selected }, o)));
  },

  /**
   * A table of rows with clickable column headers (sort) and a name filter.
   * columns: [{key, label, value: row => sortable value, render: row => node|text, num: bool}]
   * state: {sort, reverse, filter} kept by the page across refreshes.
   */
  table(id, columns, rows, state, onChange) {
    const filter = (state.filter || "").toLowerCase();
    let shown = rows.filter(r => !filter || String(r.name || "").toLowerCase().includes(filter));
    const col = columns.find(c => c.key === state.sort);
    if (col) {
      const v = col.value || (r => r[col.key]);
      shown = shown.slice().sort((a, b) => {
        const x = v(a), y = v(b);
        const d = typeof x === "number" && typeof y === "number" ? x - y
          : String(x ?? "").localeCompare(String(y ?? ""));
        return state.reverse ? -d : d;
      });
    }
    const head = UI.el("tr", {}, columns.map(c => {
      const mark = state.sort === c.key ? (state.reverse ? " \u25be" : " \u25b4") : "";
      return UI.el("th", {
        class: (c.num ? "num " : "") + "sortable",
        "data-key": c.key,
        onclick: () => {
          if (state.sort === c.key) state.reverse = !state.reverse;
          else { state.sort = c.key; state.reverse = false; }
          onChange();
        },
      }, c.label + mark);
    }));
    const body = shown.length === 0
      ? [UI.el("tr", {}, UI.el("td", { colspan: columns.length, class: "empty" },
          rows.length === 0 ? "None yet." : "Nothing matches the filter."))]
      : shown.map(r => UI.el("tr", { "data-name": r.name },
          columns.map(c => UI.el("td", { class: c.num ? "num" : "", "data-key": c.key },
            c.render ? c.render(r) : (c.num ? UI.num(r[c.key]) : r[c.key])))));
    return UI.el("table", { id, class: "list" }, UI.el("thead", {}, head), UI.el("tbody", {}, body));
  },

  /** The filter box of a table; keeps focus and caret across the page's re-render. */
  filterBox(id, state, onChange) {
    const input = UI.el("input", {
      id, type: "search", placeholder: "Filter by name", value: state.filter || "",
      oninput: e => { state.filter = e.target.value; onChange(); },
    });
    return input;
  },
};

/** The pages by name; each file under js/pages/ adds one: {title, mount(root, params), refresh()}. */
const Pages = {};
