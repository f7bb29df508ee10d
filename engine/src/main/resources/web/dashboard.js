// VoxRoute dashboard: reads /v1/stats every second and follows /v1/assignments/stream (server-sent events
// read through fetch, so the bearer token travels in the Authorization header, never in a URL).
// The token comes from the URL fragment (#token=..., never sent to the server) or the login form, and is
// kept in sessionStorage for this tab only. All data is written with textContent (no HTML injection).
(function () {
  "use strict";
  var MAX_ROWS = 50;
  var token = null;
  var lastEventId = null;
  var plots = {};

  function readToken() {
    var m = /(?:^|[#&])token=([^&]+)/.exec(window.location.hash);
    if (m) {
      sessionStorage.setItem("voxroute.token", decodeURIComponent(m[1]));
      history.replaceState(null, "", window.location.pathname);
    }
    return sessionStorage.getItem("voxroute.token");
  }

  function authHeaders() { return { "Authorization": "Bearer " + token }; }

  function setConn(on, text) {
    var el = document.getElementById("conn");
    el.className = "conn " + (on ? "on" : "off");
    el.textContent = text;
  }

  function text(id, value) { document.getElementById(id).textContent = value; }

  function cell(tr, value, cls) {
    var td = document.createElement("td");
    td.textContent = value;
    if (cls) { td.className = cls; }
    tr.appendChild(td);
    return td;
  }

  function latencyMicros(a) {
    var v = Object.keys(a.stageNanos || {}).map(function (k) { return a.stageNanos[k]; });
    if (v.length < 2) { return ""; }
    var us = (Math.max.apply(null, v) - Math.min.apply(null, v)) / 1000;
    return us < 1000 ? us.toFixed(0) + " µs" : (us / 1000).toFixed(2) + " ms";
  }

  function addAssignment(a) {
    var body = document.querySelector("#assignments tbody");
    var tr = document.createElement("tr");
    tr.className = "new";
    tr.setAttribute("data-ticket-id", a.ticketId);
    tr.setAttribute("data-shown-at", String(Date.now())); // wall clock (ms) when the row appeared, for tests
    var when = new Date(a.receivedAtEpochMillis);
    var td = cell(tr, isNaN(when.getTime()) ? "" : when.toISOString().substring(11, 19));
    td.title = "assignment journal index " + a.assignmentIndex;
    cell(tr, a.ticketId);
    cell(tr, a.department, a.triaged ? "triaged" : null);
    cell(tr, a.queue || "backlog");
    cell(tr, a.priority, a.priority);
    cell(tr, a.category);
    cell(tr, (a.confidence * 100).toFixed(1) + " %");
    cell(tr, (a.flags || []).join(", "));
    cell(tr, a.ruleId);
    cell(tr, latencyMicros(a));
    body.insertBefore(tr, body.firstChild);
    while (body.children.length > MAX_ROWS) { body.removeChild(body.lastChild); }
  }

  function parseEvents(buffer, onEvent) {
    var parts = buffer.split("\n\n");
    var rest = parts.pop();
    parts.forEach(function (block) {
      var id = null, data = null;
      block.split("\n").forEach(function (line) {
        if (line.indexOf("id: ") === 0) { id = line.substring(4); }
        else if (line.indexOf("data: ") === 0) { data = line.substring(6); }
      });
      if (data !== null) { onEvent(id, data); }
    });
    return rest;
  }

  function follow() {
    var headers = authHeaders();
    if (lastEventId !== null) { headers["Last-Event-ID"] = lastEventId; }
    fetch("/v1/assignments/stream" + (lastEventId === null ? "?after=-1" : ""), { headers: headers, cache: "no-store" })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          sessionStorage.removeItem("voxroute.token");
          showLogin();
          return null;
        }
        if (!response.ok || !response.body) { throw new Error("stream status " + response.status); }
        setConn(true, "live");
        var reader = response.body.getReader();
        var decoder = new TextDecoder("utf-8");
        var buffer = "";
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) { throw new Error("stream ended"); }
            buffer = parseEvents(buffer + decoder.decode(chunk.value, { stream: true }), function (id, data) {
              lastEventId = id;
              addAssignment(JSON.parse(data));
            });
            return pump();
          });
        }
        return pump();
      })
      .catch(function () {
        setConn(false, "reconnecting…");
        setTimeout(follow, 1000);
      });
  }

  function makePlots() {
    var width = function (id) { return Math.max(300, document.getElementById(id).clientWidth - 4); };
    var axis = { stroke: "#8b98a5", grid: { stroke: "#22303c" }, ticks: { stroke: "#22303c" } };
    var yAxis = { stroke: "#8b98a5", grid: { stroke: "#22303c" }, ticks: { stroke: "#22303c" }, size: 70 };
    var micros = function (u, values) {
      return values.map(function (v) {
        return v == null ? "" : v >= 1000000 ? (v / 1000000) + " s" : v >= 1000 ? (v / 1000) + " ms" : v + " µs";
      });
    };
    plots.latency = new uPlot({
      width: width("latency-plot"), height: 220,
      scales: { x: { time: true }, y: { distr: 3 } },
      series: [{}, { label: "p50", stroke: "#3fb6a8" }, { label: "p90", stroke: "#e5a50a" },
               { label: "p99", stroke: "#e5534b" }],
      axes: [axis, { stroke: "#8b98a5", grid: { stroke: "#22303c" }, ticks: { stroke: "#22303c" }, size: 70,
                     values: micros }]
    }, [[], [], [], []], document.getElementById("latency-plot"));
    plots.rate = new uPlot({
      width: width("rate-plot"), height: 220,
      scales: { x: { time: true } },
      series: [{}, { label: "assigned/s", stroke: "#3fb6a8" }, { label: "triaged/s", stroke: "#e5a50a" }],
      axes: [axis, yAxis]
    }, [[], [], []], document.getElementById("rate-plot"));
    plots.confidence = new uPlot({
      width: width("confidence-plot"), height: 220,
      scales: { x: { time: false, range: [0, 1] } },
      series: [{}, { label: "tickets", stroke: "#3fb6a8", fill: "rgba(63,182,168,0.4)",
                     paths: uPlot.paths.bars({ size: [0.9, 40] }), points: { show: false } }],
      axes: [axis, yAxis]
    }, [[], []], document.getElementById("confidence-plot"));
  }

  function renderStats(s) {
    var o = s.outcomes || {};
    text("t-accepted", o.accepted || 0);
    text("t-assigned", (o.assigned || 0) + (o.triaged || 0) + (o.failed || 0));
    text("t-triaged", o.triaged || 0);
    var done = (o.assigned || 0) + (o.triaged || 0) + (o.failed || 0);
    text("t-triage-rate", done === 0 ? "–" : ((100 * (o.triaged || 0)) / done).toFixed(1) + " %");
    text("t-rejected", (o.rejected || 0) + (o.duplicate_conflict || 0));
    text("t-back-pressured", o.back_pressured || 0);
    text("t-ring", s.ringRemainingCapacity + " / " + s.ringSize);

    var body = document.querySelector("#departments tbody");
    while (body.firstChild) { body.removeChild(body.firstChild); }
    (s.departments || []).forEach(function (d) {
      var tr = document.createElement("tr");
      cell(tr, d.name || d.id);
      cell(tr, d.available ? "yes" : "no");
      var td = cell(tr, "");
      var bar = document.createElement("span");
      bar.className = "bar";
      bar.style.width = (d.capacity > 0 ? Math.min(100, 100 * d.load / d.capacity)
          : Math.min(100, d.load / 10)) + "px";
      td.appendChild(bar);
      td.appendChild(document.createTextNode(d.load + " / " + (d.capacity < 0 ? "∞" : d.capacity)));
      cell(tr, String(d.backlog));
      cell(tr, String(d.slaAtRisk), d.slaAtRisk > 0 ? "P2" : null);
      body.appendChild(tr);
    });

    var h = s.history || [];
    var xs = h.map(function (p) { return p.epochSecond; });
    // seconds without assignments have no latency: null leaves a gap instead of a misleading zero
    var lat = function (key) { return h.map(function (p) { return p.assigned > 0 ? p[key] : null; }); };
    plots.latency.setData([xs, lat("p50Micros"), lat("p90Micros"), lat("p99Micros")]);
    plots.rate.setData([xs, h.map(function (p) { return p.assigned; }), h.map(function (p) { return p.triaged; })]);
    var bins = s.confidenceBins || [];
    plots.confidence.setData([bins.map(function (_, i) { return (i + 0.5) / bins.length; }), bins]);
  }

  function poll() {
    fetch("/v1/stats", { headers: authHeaders(), cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s) { renderStats(s); } })
      .catch(function () { setConn(false, "server unreachable"); })
      .then(function () { setTimeout(poll, 1000); });
  }

  function showLogin() {
    document.getElementById("main").hidden = true;
    document.getElementById("login").hidden = false;
  }

  function start() {
    document.getElementById("login").hidden = true;
    document.getElementById("main").hidden = false;
    makePlots();
    follow();
    poll();
  }

  document.getElementById("login-form").addEventListener("submit", function (e) {
    e.preventDefault();
    token = document.getElementById("token").value.trim();
    sessionStorage.setItem("voxroute.token", token);
    start();
  });

  token = readToken();
  if (token) { start(); } else { showLogin(); setConn(false, "no token"); }
})();
