/*
 * The management API client: every request carries the user's basic credentials (kept in
 * sessionStorage, as RabbitMQ's UI keeps them, so they end with the browser tab) and
 * X-Requested-With, so that a 401 does not make the browser open its own login dialog.
 * A failed request rejects with an ApiError holding the status and the API's {error, reason}.
 */
"use strict";

class ApiError extends Error {
  constructor(status, error, reason) {
    super(reason ? `${error}: ${typeof reason === "string" ? reason : JSON.stringify(reason)}`
                 : `HTTP ${status}${error ? " " + error : ""}`);
    this.status = status;
    this.error = error;
    this.reason = reason;
  }
}

const Api = {
  KEY: "warrenmq.credentials",

  credentials() {
    return sessionStorage.getItem(Api.KEY);
  },

  setCredentials(user, password) {
    sessionStorage.setItem(Api.KEY, btoa(unescape(encodeURIComponent(user + ":" + password))));
  },

  clear() {
    sessionStorage.removeItem(Api.KEY);
  },

  /** The user name of the stored credentials, or null. */
  user() {
    const c = Api.credentials();
    if (!c) return null;
    const plain = decodeURIComponent(escape(atob(c)));
    return plain.substring(0, plain.indexOf(":"));
  },

  /** Encodes one path segment ("/" is %2F, as the API expects for the default vhost). */
  seg(s) {
    return encodeURIComponent(s);
  },

  async request(method, path, body, extraHeaders) {
    const headers = Object.assign(
      { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" }, extraHeaders || {});
    const c = Api.credentials();
    if (c) headers["Authorization"] = "Basic " + c;
    const init = { method, headers, cache: "no-store" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = typeof body === "string" ? body : JSON.stringify(body);
    }
    const res = await fetch("/api/" + path, init);
    const text = await res.text();
    let json = null;
    if (text) {
      try { json = JSON.parse(text); } catch (e) { json = null; }
    }
    if (!res.ok) {
      if (res.status === 401 && Api.onUnauthorized) Api.onUnauthorized(json);
      throw new ApiError(res.status, json && json.error, json && json.reason);
    }
    return json;
  },

  get(path) { return Api.request("GET", path); },
  put(path, body) { return Api.request("PUT", path, body === undefined ? {} : body); },
  post(path, body) { return Api.request("POST", path, body === undefined ? {} : body); },
  del(path, headers) { return Api.request("DELETE", path, undefined, headers); },

  /** Called with the error body when a request is answered 401 (set by main.js). */
  onUnauthorized: null,
};
