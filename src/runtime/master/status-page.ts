/**
 * The status page (`GET /` of the metrics server): one self-contained HTML document — inline CSS
 * and script, no build step, nothing fetched from outside — that polls /status.json every two
 * seconds and redraws the process table and, per process, two small inline-SVG charts of the last
 * minutes (requests per second, resident memory). Read-only. `__APP__` is replaced by the app name.
 */

/** The page. */
export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__APP__ · clustercore</title>
<style>
  :root { --fg: #1d2330; --muted: #6b7385; --line: #e3e6ec; --bg: #f7f8fa; --card: #fff;
          --ok: #1f8f4e; --warn: #b7791f; --bad: #c53030; --rps: #2b6cb0; --mem: #805ad5; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
  header { display: flex; align-items: baseline; gap: 16px; padding: 16px 24px; background: var(--card); border-bottom: 1px solid var(--line); }
  header h1 { margin: 0; font-size: 20px; }
  header .meta { color: var(--muted); }
  #error { color: var(--bad); }
  main { padding: 16px 24px; }
  table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); }
  th, td { padding: 6px 10px; text-align: right; border-bottom: 1px solid var(--line); white-space: nowrap; }
  th { font-weight: 600; color: var(--muted); background: #fbfbfd; }
  th:nth-child(-n+4), td:nth-child(-n+4), td.reason, th.reason { text-align: left; }
  td.id { font-weight: 600; }
  .state-ready { color: var(--ok); } .state-starting, .state-stopping { color: var(--warn); } .state-unreachable { color: var(--bad); }
  #charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; margin-top: 16px; }
  .card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
  .card h2 { margin: 0 0 6px; font-size: 14px; }
  .card h2 span { color: var(--muted); font-weight: 400; }
  .chart { display: flex; align-items: center; gap: 8px; margin-top: 4px; font-size: 12px; color: var(--muted); }
  .chart .label { flex: 0 0 52px; }
  .chart svg { flex: 1 1 auto; min-width: 0; width: 100%; height: 44px; background: #fbfbfd; border: 1px solid var(--line); border-radius: 3px; }
  .chart .val { flex: 0 0 72px; text-align: right; color: var(--fg); }
  footer { padding: 8px 24px 24px; color: var(--muted); font-size: 12px; }
</style>
</head>
<body>
<header>
  <h1>__APP__</h1>
  <span class="meta" id="meta">connecting…</span>
  <span id="error"></span>
</header>
<main>
  <table>
    <thead><tr>
      <th>id</th><th>pid</th><th>role</th><th>state</th><th>uptime</th><th>restarts</th><th>CPU</th>
      <th>memory</th><th>req/s</th><th>p99</th><th class="reason">last exit</th>
    </tr></thead>
    <tbody id="rows"></tbody>
  </table>
  <div id="charts"></div>
</main>
<footer>clustercore status page · refreshes every 2 s · read-only · Prometheus text at <a href="metrics">/metrics</a></footer>
<script>
"use strict";
const SVG = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);
function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}
function duration(s) {
  if (s == null) return "-";
  if (s < 60) return Math.floor(s) + "s";
  if (s < 3600) return Math.floor(s / 60) + "m" + String(Math.floor(s % 60)).padStart(2, "0") + "s";
  if (s < 86400) return Math.floor(s / 3600) + "h" + String(Math.floor((s % 3600) / 60)).padStart(2, "0") + "m";
  return Math.floor(s / 86400) + "d" + Math.floor((s % 86400) / 3600) + "h";
}
function bytes(n) {
  if (n == null) return "-";
  const u = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + " " + u[i];
}
function ms(v) { return v == null ? "-" : v < 1 ? (v * 1000).toFixed(0) + "µs" : v.toFixed(v < 10 ? 2 : 0) + "ms"; }
function rowOf(p) {
  const c = p.counters;
  const tr = el("tr", { "data-id": p.id, "data-pid": p.pid == null ? "" : String(p.pid) });
  const cells = [
    [p.id, "id"], [p.pid == null ? "-" : String(p.pid), "pid"], [p.role, "role"], [p.state, "state state-" + p.state],
    [duration(c && c.uptime), "uptime"], [String(p.restarts), "restarts"], [c ? c.cpu.toFixed(1) + "%" : "-", "cpu"],
    [bytes(c && c.memory.rss), "memory"], [c ? c.requests.perSecond.toFixed(1) : "-", "rps"],
    [ms(c && c.latency.p99), "p99"], [p.lastExit ? p.lastExit.reason + (p.lastExit.signal ? " (" + p.lastExit.signal + ")" : p.lastExit.code != null ? " (code " + p.lastExit.code + ")" : "") : "-", "reason"],
  ];
  for (const [text, cls] of cells) tr.appendChild(el("td", { class: cls }, text));
  return tr;
}
function chart(points, key, color, format) {
  const wrap = el("div", { class: "chart" });
  wrap.appendChild(el("span", { class: "label" }, key === "rps" ? "req/s" : "memory"));
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 200 40");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("data-chart", key);
  const values = points.map((p) => p[key]);
  const max = Math.max(1e-9, ...values);
  if (values.length > 1) {
    const coords = values.map((v, i) => (i * 200 / (values.length - 1)).toFixed(1) + "," + (38 - (v / max) * 34).toFixed(1));
    const area = document.createElementNS(SVG, "polygon");
    area.setAttribute("points", "0,40 " + coords.join(" ") + " 200,40");
    area.setAttribute("fill", color);
    area.setAttribute("fill-opacity", "0.12");
    const line = document.createElementNS(SVG, "polyline");
    line.setAttribute("points", coords.join(" "));
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", color);
    line.setAttribute("stroke-width", "1.5");
    line.setAttribute("vector-effect", "non-scaling-stroke");
    svg.appendChild(area);
    svg.appendChild(line);
  }
  wrap.appendChild(svg);
  wrap.appendChild(el("span", { class: "val" }, values.length ? format(values[values.length - 1]) : "-"));
  return wrap;
}
function render(data) {
  const s = data.status;
  $("meta").textContent = "master pid " + s.pid + " · " + s.processes.length + " processes · updated " + new Date(s.at).toLocaleTimeString();
  const rows = $("rows");
  rows.replaceChildren(...s.processes.map(rowOf));
  const charts = $("charts");
  charts.replaceChildren(...s.processes.map((p) => {
    const points = data.history[p.id] || [];
    const card = el("div", { class: "card", "data-id": p.id });
    const h = el("h2", {}, p.id + " ");
    h.appendChild(el("span", {}, p.role + " · pid " + (p.pid == null ? "-" : p.pid)));
    card.appendChild(h);
    card.appendChild(chart(points, "rps", "var(--rps)", (v) => v.toFixed(1) + "/s"));
    card.appendChild(chart(points, "rss", "var(--mem)", bytes));
    return card;
  }));
  document.body.setAttribute("data-updated", String(s.at));
}
async function poll() {
  try {
    const res = await fetch("status.json", { cache: "no-store" });
    if (!res.ok) throw new Error("HTTP " + res.status);
    render(await res.json());
    $("error").textContent = "";
  } catch (err) {
    $("error").textContent = "cannot reach the group: " + err.message;
  }
}
poll();
setInterval(poll, 2000);
</script>
</body>
</html>
`;
