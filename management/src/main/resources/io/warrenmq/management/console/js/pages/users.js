/*
 * Users and permissions: lists (/api/users, /api/permissions; administrators only), add or delete
 * a user, set or clear a user's permissions on a virtual host.
 */
"use strict";

Pages.users = {
  title: "Users",
  userState: { sort: "name", reverse: false, filter: "" },
  permState: { sort: "user", reverse: false, filter: "" },
  users: [],
  perms: [],

  mount(root) {
    const i = (id, attrs) => UI.el("input", Object.assign({ id }, attrs || {}));
    const u = { name: i("user-name", { required: true }), password: i("user-password", { type: "password", autocomplete: "new-password" }),
      tags: i("user-tags", { placeholder: "administrator, management", size: 24 }) };
    const p = { user: i("perm-user", { required: true }), vhost: i("perm-vhost", { value: "/", size: 8 }),
      configure: i("perm-configure", { value: ".*", size: 8 }), write: i("perm-write", { value: ".*", size: 8 }),
      read: i("perm-read", { value: ".*", size: 8 }) };
    root.append(
      UI.el("h1", {}, "Users and permissions"),
      UI.el("div", { id: "users-table" }),
      UI.panel("Add or update a user",
        UI.el("form", { class: "inline", id: "user-form", onsubmit: async e => {
          e.preventDefault();
          const body = { tags: u.tags.value };
          if (u.password.value) body.password = u.password.value; else body.password_hash = "";
          const ok = await UI.act(() => Api.put(`users/${Api.seg(u.name.value)}`, body), `User '${u.name.value}' saved.`);
          if (ok !== undefined) { u.password.value = ""; Console.refresh(); }
        } }, UI.field("Name", u.name), UI.field("Password", u.password), UI.field("Tags", u.tags),
          UI.el("button", { type: "submit" }, "Save user"))),
      UI.el("h2", {}, "Permissions"),
      UI.el("div", { id: "permissions-table" }),
      UI.panel("Set permissions",
        UI.el("form", { class: "inline", id: "perm-form", onsubmit: async e => {
          e.preventDefault();
          const ok = await UI.act(() => Api.put(`permissions/${Api.seg(p.vhost.value)}/${Api.seg(p.user.value)}`,
            { configure: p.configure.value, write: p.write.value, read: p.read.value }),
            `Permissions of '${p.user.value}' on '${p.vhost.value}' set.`);
          if (ok !== undefined) Console.refresh();
        } }, UI.field("User", p.user), UI.field("Virtual host", p.vhost), UI.field("Configure", p.configure),
          UI.field("Write", p.write), UI.field("Read", p.read), UI.el("button", { type: "submit" }, "Set permissions"))));
  },

  async refresh() {
    try {
      [this.users, this.perms] = await Promise.all([Api.get("users"), Api.get("permissions")]);
    } catch (e) {
      if (e.status === 401) {
        document.getElementById("users-table").replaceChildren(UI.el("p", { class: "muted" },
          "Only administrators see users and permissions."));
        return;
      }
      throw e;
    }
    this.draw();
  },

  draw() {
    const userCols = [
      { key: "name", label: "Name" },
      { key: "tags", label: "Tags", value: u => [].concat(u.tags).join(", "), render: u => [].concat(u.tags).join(", ") },
      { key: "delete", label: "", render: u => UI.el("button", { type: "button", class: "danger small",
        onclick: async () => {
          if (!confirm(`Delete user '${u.name}'?`)) return;
          await UI.act(() => Api.del(`users/${Api.seg(u.name)}`), `User '${u.name}' deleted.`);
          Console.refresh();
        } }, "Delete") },
    ];
    const permCols = [
      { key: "user", label: "User" }, { key: "vhost", label: "Virtual host" },
      { key: "configure", label: "Configure" }, { key: "write", label: "Write" }, { key: "read", label: "Read" },
      { key: "clear", label: "", render: p => UI.el("button", { type: "button", class: "danger small",
        onclick: async () => {
          await UI.act(() => Api.del(`permissions/${Api.seg(p.vhost)}/${Api.seg(p.user)}`), "Permissions cleared.");
          Console.refresh();
        } }, "Clear") },
    ];
    document.getElementById("users-table").replaceChildren(
      UI.table("users", userCols, this.users, this.userState, () => this.draw()));
    document.getElementById("permissions-table").replaceChildren(
      UI.table("permissions", permCols, this.perms.map(p => Object.assign({ name: p.user }, p)),
        this.permState, () => this.draw()));
  },
};
