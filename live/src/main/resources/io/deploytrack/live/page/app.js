// deploytrack live page: draws /dashboard once, then applies the live message set (WebSocket, else SSE).
// No framework, no outside file: everything the page needs is in this jar.
(function () {
  "use strict";
  var cfg = document.body.dataset;
  var token = (location.hash.match(/token=([^&]+)/) || [])[1] || null; // in the fragment: never sent to a server
  var live = {};      // deployment id -> {row, stages: [{name, ...}], seenAt}
  var order = [];     // ids shown in "In flight", newest first
  var socket = null, source = null, pinger = null, reloadTimer = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function seconds(s) {
    if (s === null || s === undefined || isNaN(s)) { return "–"; }
    s = Math.max(0, Math.round(s));
    if (s < 60) { return s + " s"; }
    var m = Math.floor(s / 60), r = s % 60;
    if (m < 60) { return m + " min " + (r < 10 ? "0" : "") + r + " s"; }
    return Math.floor(m / 60) + " h " + (m % 60) + " min";
  }
  var skew = 0;       // the server's clock minus this browser's, from the dashboard's "at"
  function since(iso) { return iso ? (Date.now() + skew - Date.parse(iso)) / 1000 : null; }
  function shortTime(iso) { return iso ? new Date(iso).toLocaleString() : "–"; }
  function authHeaders() { return token ? { "Authorization": "Bearer " + token } : {}; }
  function withToken(url) { return token ? url + (url.indexOf("?") < 0 ? "?" : "&") + "access_token=" + encodeURIComponent(token) : url; }

  function stageFrom(p) {
    return { name: p.name, status: p.status, phase: p.phase, percent: p.percent, elapsed: p.elapsedSeconds,
      expected: p.expectedSeconds, startedAt: p.startedAt, message: p.summary,
      targetsDone: p.targetsDone, targetsTotal: p.targetsTotal };
  }
  function track(row, stages) {
    var d = live[row.id];
    if (!d) {
      d = live[row.id] = { row: row, stages: [] };
      order.unshift(row.id);
    }
    d.row = row;
    if (stages) { d.stages = stages; }
    return d;
  }
  function stage(d, name) {
    for (var i = 0; i < d.stages.length; i++) { if (d.stages[i].name === name) { return d.stages[i]; } }
    var s = { name: name, status: "running", phase: "waiting", percent: 0 };
    d.stages.push(s);
    return s;
  }

  // One message of the set; applying the same message twice leaves the same state (replays meet the live stream).
  function apply(m) {
    if (m && m.timestamp && m.type === "stage_progress") { skew = Date.parse(m.timestamp) - Date.now(); }
    if (!m || !m.deployment_id) { return; }
    var d = live[m.deployment_id];
    if (!d) {
      d = track({ id: m.deployment_id, project: m.project || "#" + m.deployment_id, environment: m.environment || "",
        commitSha: m.commit_sha || "", status: "running", startedAt: m.timestamp, userId: m.user_id }, []);
      scheduleReload();   // its row in the history, or the start this page missed
    }
    switch (m.type) {
      case "deployment_started":
        d.row.status = d.row.status || "running";
        d.row.startedAt = d.row.startedAt || m.timestamp;
        (m.stages || []).forEach(function (n) { stage(d, n); });
        break;
      case "stage_started":
        var s1 = stage(d, m.stage);
        if (s1.phase === "waiting") { s1.phase = "running"; s1.status = "running"; }
        s1.startedAt = m.started_at;
        break;
      case "stage_progress":
        var s2 = stage(d, m.stage);
        if (s2.phase !== "ended" || m.progress === 100) {
          s2.percent = Math.max(s2.percent || 0, m.progress);
          s2.elapsed = m.elapsed_time;
          s2.expected = m.expected_duration;
          s2.message = m.message;
          s2.startedAt = m.started_at;
          s2.targetsDone = m.targets_done;
          s2.targetsTotal = m.targets_total;
          s2.phase = m.progress === 100 ? "ended" : (m.overrun ? "overrun" : "running");
        }
        break;
      case "stage_completed":
        var s3 = stage(d, m.stage);
        s3.phase = "ended";
        s3.status = m.status;
        s3.elapsed = m.duration;
        if (m.status === "success") { s3.percent = 100; }
        s3.message = m.status + " after " + seconds(m.duration);
        break;
      case "deployment_completed":
        d.row.status = m.status;
        d.row.completedAt = m.completed_at;
        d.row.totalDurationSeconds = m.total_duration;
        d.stages.forEach(function (s) { if (s.phase !== "ended") { s.phase = "ended"; } });
        scheduleReload();
        break;
    }
    renderLive();
  }

  function renderLive() {
    var box = document.getElementById("live");
    box.textContent = "";
    var ids = order.slice(0, 24);
    if (ids.length === 0) { box.appendChild(el("p", "empty", "Nothing is deploying right now.")); return; }
    ids.forEach(function (id) {
      var d = live[id], r = d.row;
      var card = el("article", "deployment");
      card.dataset.id = id;
      card.dataset.status = r.status;
      var h = el("h3");
      h.appendChild(el("span", null, r.project + " → " + r.environment));
      h.appendChild(el("span", "status", r.status));
      card.appendChild(h);
      var took = r.status === "running" ? since(r.startedAt) : r.totalDurationSeconds;
      card.appendChild(el("p", "meta", "#" + id + " · " + (r.commitSha || "").slice(0, 7)
        + (r.userId ? " · " + r.userId : "") + " · " + (r.status === "running" ? "elapsed " : "took ")
        + seconds(took)));
      d.stages.forEach(function (s) {
        var row = el("div", "stage");
        row.dataset.stage = s.name;
        row.dataset.phase = s.phase;
        row.dataset.status = s.phase === "ended" ? s.status : "running";
        row.dataset.percent = s.percent || 0;
        var label = el("div", "label");
        label.appendChild(el("span", "name", s.name));
        var detail = [];
        if (s.phase === "waiting") { detail.push("waiting"); }
        else {
          if (s.phase !== "ended") { detail.push((s.percent || 0) + " %"); }
          if (s.elapsed !== undefined && s.elapsed !== null && s.phase !== "ended") { detail.push(seconds(s.elapsed)); }
          if (s.targetsTotal) { detail.push(s.targetsDone + " of " + s.targetsTotal + " targets"); }
          if (s.message) { detail.push(s.message); }
          else if (s.phase === "running" && !s.expected) { detail.push("no estimate yet"); }
        }
        label.appendChild(el("span", "detail", detail.join(" · ")));
        row.appendChild(label);
        var bar = el("div", "bar"), fill = el("div");
        fill.style.width = (s.phase === "ended" && s.status !== "success" ? 100 : (s.percent || 0)) + "%";
        bar.appendChild(fill);
        row.appendChild(bar);
        card.appendChild(row);
      });
      box.appendChild(card);
    });
  }

  function renderTables(data) {
    var recent = document.querySelector("#recent tbody");
    recent.textContent = "";
    data.recent.forEach(function (r) {
      var tr = el("tr");
      tr.dataset.id = r.id;
      [r.id, r.project, r.environment, (r.commitSha || "").slice(0, 7)].forEach(function (v) { tr.appendChild(el("td", null, v)); });
      tr.appendChild(el("td", r.status, r.status + (r.rollback ? " (rollback)" : "")));
      tr.appendChild(el("td", null, r.status === "running" ? "running " + seconds(since(r.startedAt)) : seconds(r.totalDurationSeconds)));
      tr.appendChild(el("td", null, shortTime(r.startedAt)));
      recent.appendChild(tr);
    });
    var targets = document.querySelector("#targets tbody");
    targets.textContent = "";
    data.rollbackTargets.forEach(function (t) {
      var tr = el("tr");
      tr.appendChild(el("td", null, t.project));
      tr.appendChild(el("td", null, t.environment));
      tr.appendChild(el("td", null, t.current ? "#" + t.current.id + " " + t.current.commitSha.slice(0, 7) : "–"));
      tr.appendChild(el("td", t.target ? "success" : null, t.target ? "#" + t.target.id + " " + t.target.commitSha.slice(0, 7)
        : (t.reason || "none")));
      targets.appendChild(tr);
    });
    var insights = document.querySelector("#insights tbody");
    insights.textContent = "";
    (data.insights || []).forEach(function (i) {
      var tr = el("tr");
      tr.appendChild(el("td", null, i.project));
      tr.appendChild(el("td", null, i.environment));
      tr.appendChild(el("td", null, i.perWeek.toFixed(1) + " · " + (i.frequencyLevel || "–")));
      tr.appendChild(el("td", null, i.changeFailRate === null ? "–"
        : Math.round(i.changeFailRate * 100) + " % (" + i.changeFailures + " of " + i.deployments + ") · " + (i.changeFailLevel || "–")));
      tr.appendChild(el("td", null, i.recoveryMedianSeconds === null ? "–"
        : seconds(i.recoveryMedianSeconds) + " · " + (i.recoveryLevel || "–")));
      tr.appendChild(el("td", null, i.reworkRate === null ? "–" : Math.round(i.reworkRate * 100) + " %"));
      insights.appendChild(tr);
    });
  }

  function load() {
    return fetch(cfg.api + "/dashboard", { headers: authHeaders(), cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error("the dashboard answered " + r.status); }
      return r.json();
    }).then(function (data) {
      if (data.at) { skew = Date.parse(data.at) - Date.now(); }
      data.inFlight.forEach(function (row) { track(row, row.progress.stages.map(stageFrom)); });
      renderTables(data);
      renderLive();
      document.body.dataset.loaded = "true";
    }).catch(function (e) { status("down", e.message); });
  }
  function scheduleReload() {
    if (reloadTimer) { return; }
    reloadTimer = setTimeout(function () { reloadTimer = null; load(); }, 500);
  }
  function status(kind, text) {
    var p = document.getElementById("connection");
    p.className = "connection " + kind;
    p.textContent = text;
  }

  function connectWebSocket() {
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + cfg.ws;
    var opened = false;
    try { socket = new WebSocket(withToken(url)); } catch (e) { connectEvents(); return; }
    socket.onopen = function () {
      opened = true;
      document.body.dataset.transport = "websocket";
      status("live", "live over WebSocket");
      load();
      pinger = setInterval(function () { socket.send(JSON.stringify({ type: "ping" })); }, 20000);
    };
    socket.onmessage = function (e) { apply(JSON.parse(e.data)); };
    socket.onclose = function () {
      clearInterval(pinger);
      if (opened) { status("down", "reconnecting…"); setTimeout(connectWebSocket, 2000); }
      else { connectEvents(); }   // no WebSocket here (a proxy): Server-Sent Events instead
    };
  }
  function connectEvents() {
    if (source) { return; }
    source = new EventSource(withToken(cfg.sse));
    source.onopen = function () {
      document.body.dataset.transport = "sse";
      status("live", "live over Server-Sent Events");
      load();
    };
    source.onmessage = function (e) { apply(JSON.parse(e.data)); };
    source.onerror = function () { status("down", "reconnecting…"); };   // EventSource reconnects by itself
  }

  setInterval(renderLive, 1000);   // elapsed times move between messages
  if (window.WebSocket && !/transport=sse/.test(location.search)) { connectWebSocket(); } else { connectEvents(); }
}());
