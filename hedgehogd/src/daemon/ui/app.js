// The hedgehog operator page: plain JavaScript, no framework. Every value from the API is
// put into the page as text (never as HTML); the topology SVG comes from our own renderer,
// which escapes names, and is parsed as XML. Tokens live in this tab's sessionStorage only.
"use strict";

const POLL_MS = 2000;
const STATES = ["in_sync", "pending_commit", "pending_apply", "drifted", "missing_in_cluster",
  "orphaned", "conflict", "unknown"];
const store = {
  get: (k) => sessionStorage.getItem(k) || "",
  set: (k, v) => (v ? sessionStorage.setItem(k, v) : sessionStorage.removeItem(k)),
};
let timer = null;
let view = null; // what the current page keeps between polls

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

// A state as coloured badge with its name in words beside the colour.
function badge(state) {
  return el("span", { class: "badge s-" + state }, state || "unknown");
}

function when(ms) {
  return ms ? new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") : "never";
}

function short(commit) {
  return commit ? commit.slice(0, 12) : "";
}

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path, options = {}, token = store.get("hh.read")) {
  const headers = Object.assign({}, options.headers || {});
  if (token) headers.Authorization = "Bearer " + token;
  const res = await fetch(path, Object.assign({}, options, { headers, cache: "no-store" }));
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json() : await res.text();
  if (!res.ok) {
    const msg = body && body.error ? body.error.code + ": " + body.error.message : String(body);
    throw new ApiError(res.status, msg);
  }
  return body;
}

function problem(err) {
  if (err.status === 401) return "This daemon needs a read token: enter it above. (" + err.message + ")";
  return err.message;
}

function setLive(text) {
  document.getElementById("live").textContent = text;
}

function show(...nodes) {
  const main = document.getElementById("main");
  main.replaceChildren(...nodes);
}

function poll(fn) {
  clearInterval(timer);
  fn();
  timer = setInterval(fn, POLL_MS);
}

// ---- overview -----------------------------------------------------------------------

function counts(c) {
  if (!c) return "no pass yet";
  return el("ul", { class: "counts" },
    STATES.filter((s) => c[s]).map((s) => el("li", {}, badge(s), " " + c[s])));
}

function watchText(w) {
  if (!w) return "no cluster watch";
  const err = w.last_error ? " — error: " + (w.last_error.message || w.last_error.code) : "";
  return (w.ready ? "watching" : "starting") + ", " + w.objects + " objects" + err;
}

function overview() {
  const table = el("table", { class: "fabrics" },
    el("caption", {}, "Fabrics"),
    el("thead", {}, el("tr", {}, ["Fabric", "Drift", "Pass", "Policy", "Last successful sync",
      "Watch", "Objects by drift state"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody"));
  const err = el("p", { class: "error", role: "alert" });
  show(el("h1", {}, "Fabrics"), err, table);
  poll(async () => {
    try {
      const fabrics = await api("/v1/fabrics");
      err.textContent = "";
      table.tBodies[0].replaceChildren(...fabrics.map((f) => el("tr", { "data-fabric": f.name },
        el("th", { scope: "row" }, el("a", { href: "#/fabric/" + encodeURIComponent(f.name) }, f.name)),
        el("td", { class: "drift-status" }, badge(f.drift ? f.drift.status : "unknown")),
        el("td", {}, badge(f.state), f.running_operation ? " (running)" : ""),
        el("td", {}, f.policy),
        el("td", {}, f.last_sync ? when(f.last_sync.finished_unix_ms) + " at " + short(f.last_sync.commit) : "never"),
        el("td", {}, watchText(f.watch)),
        el("td", {}, counts(f.drift && f.drift.counts)))));
      setLive("updated " + new Date().toLocaleTimeString());
    } catch (e) {
      err.textContent = problem(e);
    }
  });
}

// ---- fabric page --------------------------------------------------------------------

function value(v) {
  return v === undefined ? "—" : JSON.stringify(v);
}

function details(o, fabric) {
  const commitOf = (c) => c.set_by || (fabric.last_sync && fabric.last_sync.commit) || "";
  return el("div", { class: "details" },
    el("p", {}, "Git path: ", el("code", {}, o.git_path || "(not in Git)")),
    o.changes.length ? el("table", { class: "changes" },
      el("thead", {}, el("tr", {}, ["Field", "Change", "Git (before)", "Desired or cluster (after)", "Git value set by commit"]
        .map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, o.changes.map((c) => el("tr", {},
        el("td", {}, el("code", {}, c.path)), el("td", {}, c.op),
        el("td", {}, el("code", {}, value(c.before))), el("td", {}, el("code", {}, value(c.after))),
        el("td", { class: "commit" }, el("code", { title: commitOf(c) }, short(commitOf(c))),
          c.set_by ? "" : " (Git head compared)"))))) : el("p", {}, "No field changes listed."));
}

function objectKey(o) {
  return o.kind + "/" + o.namespace + "/" + o.name;
}

function driftRows(report, fabric) {
  const kind = view.kind.value;
  const state = view.state.value;
  const rows = [];
  for (const o of report.objects) {
    if ((kind && o.kind !== kind) || (state && o.state !== state)) continue;
    const key = objectKey(o);
    const open = view.open.has(key);
    const toggle = el("button", {
      type: "button", class: "toggle", "aria-expanded": open ? "true" : "false",
      onclick: () => { open ? view.open.delete(key) : view.open.add(key); refreshTable(); },
    }, open ? "▾" : "▸", " ", o.name);
    rows.push(el("tr", { "data-key": key, class: "s-row-" + o.state },
      el("td", {}, toggle), el("td", {}, o.kind), el("td", {}, badge(o.state)),
      el("td", {}, String(o.changes.length))));
    if (open) rows.push(el("tr", { class: "expanded" }, el("td", { colspan: "4" }, details(o, fabric))));
  }
  if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: "4" }, "Every object matching the filter is in sync.")));
  return rows;
}

function refreshTable() {
  if (view.report) view.tbody.replaceChildren(...driftRows(view.report, view.fabric));
}

function fillKinds(report) {
  const kinds = Object.keys(report.summary.by_kind || {}).sort();
  const have = Array.from(view.kind.options).map((o) => o.value).slice(1);
  if (have.join() === kinds.join()) return;
  const chosen = view.kind.value;
  view.kind.replaceChildren(el("option", { value: "" }, "all kinds"), ...kinds.map((k) => el("option", { value: k }, k)));
  view.kind.value = chosen;
}

// Colours the topology's devices and links by their drift state (names in tooltips too).
function colourTopology() {
  if (!view.svg || !view.report) return;
  const states = new Map(view.report.objects.map((o) => [o.kind + "/" + o.name, o.state]));
  for (const g of view.svg.querySelectorAll("g.node[data-kind]")) {
    const state = states.get(g.getAttribute("data-kind") + "/" + g.getAttribute("data-name")) || "in_sync";
    g.setAttribute("class", g.getAttribute("class").replace(/ ?d-\S+/g, "") + " d-" + state);
    g.setAttribute("aria-label", g.getAttribute("data-name") + ": " + state);
  }
  for (const g of view.svg.querySelectorAll("g.edge[data-connection]")) {
    const state = states.get("Connection/" + g.getAttribute("data-connection"));
    g.setAttribute("class", "edge" + (state ? " d-" + state : ""));
  }
}

function selectNode(g) {
  const kind = g.getAttribute("data-kind");
  const name = g.getAttribute("data-name");
  const found = view.report && view.report.objects.find((o) => o.kind === kind && o.name === name);
  view.picked.replaceChildren(el("strong", {}, kind + " " + name), " ",
    badge(found ? found.state : "in_sync"),
    found ? details(found, view.fabric) : el("p", {}, "In sync: Git and the desired state agree."));
}

async function loadTopology(name) {
  try {
    const text = await api("/v1/fabrics/" + encodeURIComponent(name) + "/diagram?format=svg");
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const svg = document.importNode(doc.documentElement, true);
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    for (const g of svg.querySelectorAll("g.node[data-kind]")) {
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.addEventListener("click", () => selectNode(g));
      g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); selectNode(g); } });
    }
    view.svg = svg;
    view.topology.replaceChildren(svg);
    colourTopology();
  } catch (e) {
    view.topology.replaceChildren(el("p", { class: "error" }, problem(e)));
  }
}

function status(f) {
  return el("dl", { class: "status" },
    el("dt", {}, "Drift"), el("dd", { class: "drift-status" }, badge(f.drift ? f.drift.status : "unknown")),
    el("dt", {}, "Last pass"), el("dd", {}, badge(f.state)),
    el("dt", {}, "Policy"), el("dd", {}, f.policy + ", every " + f.interval_secs + " s"),
    el("dt", {}, "Git"), el("dd", {}, f.git.url + " " + f.git.branch + " /" + f.git.base_dir),
    el("dt", {}, "Last successful sync"), el("dd", {}, f.last_sync
      ? when(f.last_sync.finished_unix_ms) + " — commit " + short(f.last_sync.commit) + " — " + f.last_sync.status : "never"),
    el("dt", {}, "Running operation"), el("dd", { class: "running" }, f.running_operation || "none"),
    el("dt", {}, "Last error"), el("dd", { class: "last-error" }, f.last_error ? f.last_error.code + ": " + f.last_error.message : "none"),
    el("dt", {}, "Watch"), el("dd", {}, watchText(f.watch)));
}

function syncForm(name) {
  const out = el("p", { class: "operation", role: "status", "aria-live": "polite" });
  const token = el("input", { id: "write-token", type: "password", autocomplete: "off" });
  const ask = el("div", { class: "ask", hidden: true },
    el("label", { for: "write-token" }, "Write token (kept in this tab only)"), token,
    el("button", { type: "submit" }, "Start sync"));
  const form = el("form", { class: "sync", onsubmit: (e) => { e.preventDefault(); start(); } },
    el("button", { type: "button", id: "sync-button", onclick: () => {
      ask.hidden = false;
      token.value = store.get("hh.write");
      token.focus();
    } }, "Sync now…"), ask, out);
  async function start() {
    store.set("hh.write", token.value);
    ask.hidden = true;
    try {
      const started = await api("/v1/fabrics/" + encodeURIComponent(name) + "/sync", { method: "POST" }, token.value);
      let op = started.operation;
      out.textContent = "Operation " + op.id + ": " + op.state;
      while (op.state === "running") {
        await new Promise((r) => setTimeout(r, 500));
        op = await api("/v1/operations/" + encodeURIComponent(op.id));
        out.textContent = "Operation " + op.id + ": " + op.state;
      }
      const detail = op.error ? " — " + op.error.code + ": " + op.error.message
        : op.result ? " — " + op.result.status + " at " + short(op.result.commit) : "";
      out.textContent = "Operation " + op.id + ": " + op.state + detail;
      out.setAttribute("data-state", op.state);
    } catch (e) {
      out.textContent = "Sync refused: " + (e.status === 401 || e.status === 403 ? "the write token is not accepted (" + e.message + ")" : e.message);
      out.setAttribute("data-state", "refused");
    }
  }
  return form;
}

function fabricPage(name) {
  const stateSelect = el("select", { id: "filter-state" }, el("option", { value: "" }, "all states"),
    STATES.map((s) => el("option", { value: s }, s)));
  view = {
    open: new Set(), report: null, fabric: null, svg: null, commit: null,
    kind: el("select", { id: "filter-kind" }, el("option", { value: "" }, "all kinds")),
    state: stateSelect, tbody: el("tbody"),
    topology: el("div", { class: "topology" }, "Loading the topology…"),
    picked: el("div", { class: "picked", "aria-live": "polite" }, "Select a device in the picture (click, or Tab then Enter) to see its drift."),
    status: el("div"),
  };
  view.kind.addEventListener("change", refreshTable);
  view.state.addEventListener("change", refreshTable);
  const err = el("p", { class: "error", role: "alert" });
  show(el("h1", {}, "Fabric ", name), err, view.status, syncForm(name),
    el("h2", {}, "Drift"),
    el("div", { class: "filters" }, el("label", { for: "filter-kind" }, "Kind"), view.kind,
      el("label", { for: "filter-state" }, "State"), view.state),
    el("table", { class: "drift" }, el("thead", {}, el("tr", {},
      ["Object", "Kind", "State", "Changes"].map((h) => el("th", { scope: "col" }, h)))), view.tbody),
    el("h2", {}, "Topology"), view.picked, view.topology);
  poll(async () => {
    try {
      const base = "/v1/fabrics/" + encodeURIComponent(name);
      const fabric = await api(base);
      view.fabric = fabric;
      view.status.replaceChildren(status(fabric));
      if (fabric.drift) {
        view.report = await api(base + "/drift");
        fillKinds(view.report);
        refreshTable();
        const commit = fabric.last_sync && fabric.last_sync.commit;
        if (commit !== view.commit) { view.commit = commit; loadTopology(name); }
        colourTopology();
      }
      err.textContent = "";
      setLive("updated " + new Date().toLocaleTimeString());
    } catch (e) {
      err.textContent = problem(e);
    }
  });
}

// ---- validation page ----------------------------------------------------------------

function validatePage() {
  clearInterval(timer);
  const text = el("textarea", { id: "yaml", rows: "16", spellcheck: "false" });
  const file = el("input", { id: "yaml-file", type: "file", accept: ".yaml,.yml,.json" });
  const results = el("div", { class: "results", "aria-live": "polite" });
  file.addEventListener("change", async () => { if (file.files[0]) text.value = await file.files[0].text(); });
  async function run(e) {
    e.preventDefault();
    results.replaceChildren("Validating…");
    try {
      const report = await api("/v1/validate", { method: "POST", body: text.value, headers: { "Content-Type": "application/yaml" } });
      const lines = text.value.split("\n");
      results.replaceChildren(
        el("p", { class: "summary" }, report.objects + " objects, " + report.errors + " errors, " + report.warnings + " warnings"),
        el("ol", { class: "diagnostics" }, report.diagnostics.map((d) => el("li", { class: "diag " + d.severity },
          el("span", { class: "where" }, (d.file || "input") + ":" + (d.line || "?") + (d.column ? ":" + d.column : "")), " ",
          el("span", { class: "sev" }, d.severity), " ", el("code", {}, d.code), " ", d.message,
          d.path ? el("span", { class: "path" }, " at " + d.path) : "",
          d.line ? el("pre", { class: "source" }, lines.slice(Math.max(0, d.line - 2), d.line + 1)
            .map((l, i) => { const n = Math.max(1, d.line - 1) + i; return el("span", { class: n === d.line ? "hit" : "" }, String(n).padStart(4) + " | " + l + "\n"); })) : ""))));
    } catch (err) {
      results.replaceChildren(el("p", { class: "error", role: "alert" }, problem(err)));
    }
  }
  show(el("h1", {}, "Validate"),
    el("form", { class: "validate", onsubmit: run },
      el("label", { for: "yaml" }, "YAML or JSON (one or more documents)"), text,
      el("label", { for: "yaml-file" }, "…or upload a file"), file,
      el("button", { type: "submit", id: "validate-button" }, "Validate")),
    results);
}

// ---- routing ------------------------------------------------------------------------

function route() {
  const hash = location.hash || "#/";
  const fabric = hash.match(/^#\/fabric\/(.+)$/);
  if (fabric) fabricPage(decodeURIComponent(fabric[1]));
  else if (hash === "#/validate") validatePage();
  else overview();
}

document.addEventListener("DOMContentLoaded", () => {
  const input = document.getElementById("read-token");
  input.value = store.get("hh.read");
  document.getElementById("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    store.set("hh.read", input.value);
    route();
  });
  window.addEventListener("hashchange", route);
  route();
});
