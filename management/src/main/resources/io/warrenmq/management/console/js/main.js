/*
 * The shell: login form, navigation, the hash router (#/page/arg/...) and the refresh timer
 * (the current page's refresh() every REFRESH_MS, as RabbitMQ's UI polls every 5 s).
 */
"use strict";

const Console = {
  REFRESH_MS: 2000,
  timer: null,
  page: null,
  refreshing: false,

  start() {
    document.getElementById("login").addEventListener("submit", Console.login);
    document.getElementById("logout").addEventListener("click", Console.logout);
    window.addEventListener("hashchange", Console.route);
    Api.onUnauthorized = body => {
      // a failed login or a user that lost its management tag; "not_authorised" (with an s)
      // is a refusal of one action and keeps the session
      // (the login form handles its own 401: no console page is shown then)
      if (!Console.page) return;
      if (!body || body.error === "not_authorized" || body.reason === "Not management user") {
        Console.logout(body && body.reason === "Not management user"
          ? "This user may not use the management console (it needs a management tag)."
          : "Your login is no longer valid; log in again.");
      }
    };
    if (Api.credentials()) Console.enter(); else Console.showLogin();
  },

  showLogin(message) {
    clearInterval(Console.timer);
    Console.page = null;
    document.getElementById("page").replaceChildren();
    document.getElementById("nav").hidden = true;
    document.getElementById("who").hidden = true;
    document.getElementById("logout").hidden = true;
    document.getElementById("login").hidden = false;
    const err = document.getElementById("login-error");
    err.hidden = !message;
    err.textContent = message || "";
    document.getElementById("login-user").focus();
  },

  async login(event) {
    event.preventDefault();
    const user = document.getElementById("login-user").value;
    const password = document.getElementById("login-password").value;
    document.getElementById("login-error").hidden = true;
    Api.setCredentials(user, password);
    try {
      await Api.get("whoami");
    } catch (e) {
      Api.clear();
      Console.showLogin(e.status === 401
        ? (e.reason === "Not management user"
          ? "This user may not use the management console (it needs a management tag)."
          : "Login failed: wrong username or password.")
        : "Login failed: " + e.message);
      return;
    }
    document.getElementById("login-password").value = "";
    Console.enter();
  },

  logout(message) {
    Api.clear();
    Console.showLogin(typeof message === "string" ? message : null);
  },

  enter() {
    document.getElementById("login").hidden = true;
    document.getElementById("login-error").hidden = true;
    document.getElementById("nav").hidden = false;
    const who = document.getElementById("who");
    who.textContent = "User: " + Api.user();
    who.hidden = false;
    document.getElementById("logout").hidden = false;
    Console.route();
  },

  /** #/queues/%2F/orders -> page "queue" with params ["/", "orders"]. */
  route() {
    if (!Api.credentials()) {
      if (Console.page) Console.showLogin();
      return;
    }
    const parts = location.hash.replace(/^#\/?/, "").split("/").filter(p => p !== "")
      .map(decodeURIComponent);
    let name = parts[0] || "overview";
    let params = parts.slice(1);
    if (name === "queues" && params.length === 2) name = "queue";
    const page = Pages[name] || Pages.overview;
    for (const a of document.querySelectorAll("#nav a")) {
      a.classList.toggle("active", a.dataset.page === (name === "queue" ? "queues" : name));
    }
    clearInterval(Console.timer);
    Console.page = page;
    document.title = page.title + " - WarrenMQ";
    const root = document.getElementById("page");
    root.replaceChildren();
    page.mount(root, params);
    Console.refresh();
    Console.timer = setInterval(Console.refresh, Console.REFRESH_MS);
  },

  async refresh() {
    const page = Console.page;
    // one refresh at a time: a slow broker must not pile requests up
    if (!page || !page.refresh || Console.refreshing) return;
    Console.refreshing = true;
    try {
      await page.refresh();
    } catch (e) {
      if (e.status !== 401 && page === Console.page) UI.flash(e.message, "error");
    } finally {
      Console.refreshing = false;
    }
  },

  /** A link to a page: Console.href("queues", "/", "orders"). */
  href(...parts) {
    return "#/" + parts.map(encodeURIComponent).join("/");
  },
};

Console.start();
