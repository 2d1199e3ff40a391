/* Waymark route script, on route and step pages only: checklists that remember progress (with when each
   item, step, stage and route was done), progress bars, celebrations, resets, moving progress to another
   browser, and the route events (see docs/analytics.md). Uses the helpers waymark.js shares, which runs
   first (both scripts are deferred, in document order). */
(function () {
  "use strict";
  var W = window.Waymark && window.Waymark.shared;
  if (!W) return;
  var doc = document, root = doc.documentElement;
  var store = W.store, emit = W.emit, t = W.t, num = W.num, minutes = W.minutes, el = W.el, jsonFrom = W.jsonFrom, base = W.base;

  // ---- onboarding routes: checklists, progress, celebrations ----
  // Progress is one versioned document: when each item was ticked (or un-ticked), when each step was
  // visited and completed, when each route was started and each of its stages and itself completed.
  //   { "v": 2, "items": { "<step>#<key>": { "done": true, "at": ms } },
  //     "steps": { "<step>": { "visited": ms, "completed": ms } },
  //     "routes": { "<segment>": { "started": ms, "completed": ms, "stages": { "<stage>": ms } } } }
  // Version 1 kept a "1" per ticked item ("task:<id>") and visited step ("visited:<id>"): those are
  // moved in on first read (time unknown: 0), so no reader loses progress.
  var PROGRESS = "progress";
  // Progress comes from outside this script: storage (any page on the origin can write it, and the
  // storage event brings what another tab wrote) and imported files. It is copied field by field into
  // records without a prototype, keeping only the known fields with the right types and never a key
  // named __proto__, constructor or prototype: a key like that written into an ordinary object reaches
  // Object.prototype, after which every new record looks started or completed and milestones stop.
  function bareRecord(fields) {
    var r = Object.create(null);
    if (fields) Object.keys(fields).forEach(function (k) { r[k] = fields[k]; });
    return r;
  }
  function safeKey(k) { return k !== "__proto__" && k !== "constructor" && k !== "prototype"; }
  function isMap(x) { return !!x && typeof x === "object" && !Array.isArray(x); }
  function time(x) { return typeof x === "number" && isFinite(x) && x >= 0 ? x : null; }
  // A record of `from`'s safe keys, each value passed through `clean` (null: left out).
  function cleanMap(from, clean) {
    var out = bareRecord();
    if (isMap(from)) Object.keys(from).forEach(function (k) {
      var v = safeKey(k) ? clean(from[k]) : null;
      if (v != null) out[k] = v;
    });
    return out;
  }
  function cleanTimes(from, names) {
    var out = bareRecord();
    names.forEach(function (k) { if (isMap(from) && time(from[k]) != null) out[k] = from[k]; });
    return out;
  }
  function emptyProgress() { return bareRecord({ v: 2, items: bareRecord(), steps: bareRecord(), routes: bareRecord() }); }
  // The document's own copy, or null when `p` is not progress (version 2 with the three maps).
  function cleanProgress(p) {
    if (!isMap(p) || p.v !== 2 || !isMap(p.items) || !isMap(p.steps) || !isMap(p.routes)) return null;
    return bareRecord({
      v: 2,
      items: cleanMap(p.items, function (i) {
        return isMap(i) && typeof i.done === "boolean" && time(i.at) != null ? bareRecord({ done: i.done, at: i.at }) : null;
      }),
      steps: cleanMap(p.steps, function (s) { return isMap(s) ? cleanTimes(s, ["visited", "completed"]) : null; }),
      routes: cleanMap(p.routes, function (r) {
        if (!isMap(r)) return null;
        var out = cleanTimes(r, ["started", "completed"]);
        out.stages = cleanMap(r.stages, time);
        return out;
      })
    });
  }
  function loadProgress() {
    var p = null;
    try { p = cleanProgress(JSON.parse(store.get(PROGRESS))); } catch (e) { p = null; }
    if (p) return p;
    p = emptyProgress();
    var prefix = store.key(""), old = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var k = window.localStorage.key(i);
        if (k.indexOf(prefix) === 0 && /^(task|visited):/.test(k.slice(prefix.length))) old.push(k.slice(prefix.length));
      }
    } catch (e) { /* storage unavailable: start empty */ }
    old.forEach(function (name) {
      if (store.get(name) !== "1") return;
      var task = name.indexOf("task:") === 0, id = name.slice(task ? 5 : 8);
      if (!safeKey(id)) return;
      if (task) p.items[id] = bareRecord({ done: true, at: 0 });
      else p.steps[id] = bareRecord({ visited: 0 });
    });
    if (old.length) {
      saveProgress(p);
      old.forEach(function (name) { store.remove(name); });
    }
    return p;
  }
  function saveProgress(p) { store.set(PROGRESS, JSON.stringify(p)); }
  var progress = loadProgress();
  function taskDone(id) { var item = progress.items[id]; return !!item && item.done === true; }
  function stepStats(step) {
    var total = step.checklist.length;
    var done = step.checklist.filter(function (item) { return taskDone(item.id); }).length;
    var record = progress.steps[step.id];
    var complete = total > 0 ? done === total : !!record && record.visited != null;
    return { done: done, total: total, complete: complete };
  }
  function routeStats(route) {
    var stats = { done: 0, total: 0, stepsComplete: 0, minutesLeft: 0, steps: {}, stages: {}, firstOpen: null };
    route.steps.forEach(function (step) {
      var s = stepStats(step);
      stats.steps[step.id] = s;
      // Steps without a checklist count as one unit, done once visited.
      stats.total += s.total || 1;
      stats.done += s.total ? s.done : (s.complete ? 1 : 0);
      if (s.complete) stats.stepsComplete++; else {
        stats.minutesLeft += step.minutes;
        if (!stats.firstOpen) stats.firstOpen = step;
      }
    });
    route.stages.forEach(function (stage) {
      var steps = stage.steps.map(function (n) { return route.steps[n - 1]; });
      var complete = steps.every(function (s) { return stats.steps[s.id].complete; });
      var units = 0, done = 0;
      steps.forEach(function (s) { var x = stats.steps[s.id]; units += x.total || 1; done += x.total ? x.done : (x.complete ? 1 : 0); });
      stats.stages[stage.id] = { complete: complete, percent: units ? Math.round(100 * done / units) : 0 };
    });
    stats.percent = stats.total ? Math.round(100 * stats.done / stats.total) : 0;
    return stats;
  }
  function showProgress(box, percent, text, timeLeft) {
    if (!box) return;
    var bar = box.querySelector("progress");
    if (bar) {
      bar.value = percent;
      if (text) bar.setAttribute("aria-valuetext", text); else bar.removeAttribute("aria-valuetext");
    }
    var label = box.querySelector("[data-progress-text]");
    if (label) label.textContent = text;
    var left = box.querySelector("[data-time-left]");
    if (left) left.textContent = timeLeft || "";
    box.hidden = false;
  }

  var routeHost = doc.querySelector("script[data-route]");
  var route = routeHost ? jsonFrom("script[data-route]") : null;
  if (route) {
    var stepKey = (doc.querySelector("[data-step-page]") || { getAttribute: function () { return null; } }).getAttribute("data-step-page");
    var current = null;
    route.steps.forEach(function (s) { if (s.id === stepKey) current = s; });

    function render(stats) {
      var routeText = t("progressText", { done: num(stats.stepsComplete), total: num(route.steps.length) });
      doc.querySelectorAll("[data-route-progress]").forEach(function (box) {
        showProgress(box, stats.percent, routeText, stats.minutesLeft ? t("timeLeft", { time: minutes(stats.minutesLeft) }) : t("routeComplete"));
      });
      Object.keys(stats.stages).forEach(function (id) {
        var stageBox = doc.querySelector('[data-stage-progress="' + CSS.escape(id) + '"]');
        if (stageBox) showProgress(stageBox, stats.stages[id].percent, "");
        var stageEl = doc.querySelector('.stage[data-stage="' + CSS.escape(id) + '"]');
        if (stageEl) stageEl.classList.toggle("is-complete", stats.stages[id].complete);
      });
      doc.querySelectorAll("[data-step]").forEach(function (li) {
        var s = stats.steps[li.getAttribute("data-step")];
        if (!s) return;
        li.classList.toggle("is-done", s.complete);
        li.classList.toggle("is-current", !!stats.firstOpen && stats.firstOpen.id === li.getAttribute("data-step"));
        var state = li.querySelector("[data-step-state]");
        if (state) state.textContent = s.complete ? t("stepDone") : (s.done ? t("progressText", { done: num(s.done), total: num(s.total) }) : "");
      });
      var started = stats.done > 0;
      doc.querySelectorAll("[data-route-start]").forEach(function (a) {
        if (started && stats.firstOpen) { a.textContent = t("continueRoute"); a.href = stats.firstOpen.path; }
      });
      doc.querySelectorAll("[data-reset-progress]").forEach(function (b) { b.hidden = !started; });
      doc.querySelectorAll("[data-reset-stage]").forEach(function (b) {
        var stage = stats.stages[b.getAttribute("data-reset-stage")];
        b.hidden = !stage || stage.percent === 0;
      });
      doc.querySelectorAll("[data-reset-step]").forEach(function (b) { b.hidden = !current || !stats.steps[current.id].done; });
      if (current) {
        var s = stats.steps[current.id];
        showProgress(doc.querySelector("[data-step-progress]"), s.total ? Math.round(100 * s.done / s.total) : 100,
          t("progressText", { done: num(s.done), total: num(s.total) }));
      }
      var map = doc.querySelector("[data-route-map]");
      if (map) {
        map.textContent = "";
        route.stages.forEach(function (stage) {
          map.appendChild(el("li", { "class": "map-stage" }, stage.title));
          stage.steps.forEach(function (n) {
            var step = route.steps[n - 1];
            var li = el("li", stats.steps[step.id].complete ? { "class": "is-done" } : null);
            var a = el("a", { href: step.path }, step.title);
            if (current && step.id === current.id) a.setAttribute("aria-current", "step");
            li.appendChild(a);
            map.appendChild(li);
          });
        });
      }
    }

    function celebrate(prevStats, stats) {
      var box = doc.querySelector("[data-celebration]");
      if (!box || !current) return;
      var stageId = current.stage;
      if (prevStats.stages[stageId].complete || !stats.stages[stageId].complete) return;
      box.textContent = "";
      var stage = route.stages.filter(function (s) { return s.id === stageId; })[0];
      box.appendChild(el("strong", null, t("stageComplete", { stage: stage.title }) + " "));
      var index = route.stages.indexOf(stage);
      var next = route.stages[index + 1];
      if (next) {
        var firstStep = route.steps[next.steps[0] - 1];
        box.appendChild(doc.createTextNode(" "));
        box.appendChild(el("a", { href: firstStep.path }, t("nextStageHint", { stage: next.title })));
      } else if (stats.stepsComplete === route.steps.length) {
        box.appendChild(doc.createTextNode(t("routeComplete")));
      }
      box.hidden = false;
    }

    var segment = (doc.querySelector("[data-remember-segment]") || root).getAttribute("data-remember-segment");
    function routeRecord() {
      var r = progress.routes[segment] || (progress.routes[segment] = bareRecord());
      if (!r.stages) r.stages = bareRecord();
      return r;
    }
    // Started on the first step opened or item ticked; true the first time.
    function startRoute() {
      var r = routeRecord();
      if (r.started) return false;
      r.started = Date.now();
      return true;
    }
    // What a change completed, recorded the first time each is reached (un-ticking keeps the record;
    // only a reset clears it), as events in order: steps, then stages, then the route.
    function milestones(prev, now) {
      var time = Date.now(), r = routeRecord(), events = [];
      route.steps.forEach(function (step) {
        var record = progress.steps[step.id];
        if (!now.steps[step.id].complete || prev.steps[step.id].complete || (record && record.completed)) return;
        (record || (progress.steps[step.id] = bareRecord())).completed = time;
        events.push(["step_completed", { segment: segment, stage: step.stage, step: step.id }]);
      });
      route.stages.forEach(function (stage) {
        if (!now.stages[stage.id].complete || prev.stages[stage.id].complete || r.stages[stage.id]) return;
        r.stages[stage.id] = time;
        events.push(["stage_completed", { segment: segment, stage: stage.id }]);
      });
      if (now.stepsComplete === route.steps.length && prev.stepsComplete !== route.steps.length && !r.completed) {
        r.completed = time;
        events.push(["route_completed", { segment: segment }]);
      }
      return events;
    }
    // Applies `change` to the latest progress (another tab may have written since), saves it, shows it
    // and tells listeners what happened.
    function update(change) {
      progress = loadProgress();
      var prev = routeStats(route), started = current ? startRoute() : false;
      var first = change() || [];
      var now = routeStats(route), events = milestones(prev, now);
      saveProgress(progress);
      syncPage(now);
      celebrate(prev, now);
      if (started) emit("route_started", { segment: segment });
      first.concat(events).forEach(function (e) { emit(e[0], e[1]); });
    }
    function syncPage(stats) {
      doc.querySelectorAll(".task-item.is-interactive").forEach(function (item) {
        var input = item.querySelector("input");
        input.checked = taskDone(item.getAttribute("data-task"));
        item.classList.toggle("is-done", input.checked);
      });
      render(stats || routeStats(route));
    }
    function reset(steps, wholeRoute) {
      update(function () {
        var r = routeRecord();
        steps.forEach(function (step) {
          delete progress.steps[step.id];
          step.checklist.forEach(function (item) { delete progress.items[item.id]; });
        });
        route.stages.forEach(function (stage) {
          if (stage.steps.some(function (n) { return steps.indexOf(route.steps[n - 1]) >= 0; })) delete r.stages[stage.id];
        });
        delete r.completed;
        if (wholeRoute) delete progress.routes[segment];
      });
    }

    if (current) {
      update(function () {
        var record = progress.steps[current.id] || (progress.steps[current.id] = bareRecord());
        if (record.visited == null) record.visited = Date.now();
        return [["step_viewed", { segment: segment, stage: current.stage, step: current.id }]];
      });
      doc.querySelectorAll(".task-item[data-task]").forEach(function (item) {
        var id = item.getAttribute("data-task");
        var input = el("input", { type: "checkbox" });
        input.checked = taskDone(id);
        var label = el("label");
        var text = el("span", { "class": "task-text" });
        while (item.firstChild) text.appendChild(item.firstChild);
        label.appendChild(input);
        label.appendChild(text);
        item.appendChild(label);
        item.classList.add("is-interactive");
        item.classList.toggle("is-done", input.checked);
        input.addEventListener("change", function () {
          var done = input.checked;
          update(function () {
            progress.items[id] = { done: done, at: Date.now() };
            return [[done ? "item_ticked" : "item_unticked", { segment: segment, stage: current.stage, step: current.id, item: id }]];
          });
        });
      });
      doc.querySelectorAll("[data-reset-step]").forEach(function (button) {
        button.addEventListener("click", function () { reset([current], false); });
      });
    }
    doc.querySelectorAll("[data-reset-stage]").forEach(function (button) {
      var stage = route.stages.filter(function (s) { return s.id === button.getAttribute("data-reset-stage"); })[0];
      if (!stage) return;
      button.addEventListener("click", function () {
        if (!window.confirm(t("resetStageConfirm", { stage: stage.title }))) return;
        reset(stage.steps.map(function (n) { return route.steps[n - 1]; }), false);
      });
    });
    doc.querySelectorAll("[data-reset-progress]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (!window.confirm(t("resetConfirm"))) return;
        reset(route.steps, true);
      });
    });

    // Moving to another browser: the whole site's progress as a small JSON file, and back (merged:
    // for each item the later change wins; the earliest start and completion times are kept).
    var transferStatus = doc.querySelector("[data-transfer-status]");
    doc.querySelectorAll("[data-export-progress]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var file = { format: "waymark-progress", v: 2, site: window.location.origin + base, exported: new Date().toISOString(), progress: loadProgress() };
        var link = el("a", { href: URL.createObjectURL(new Blob([JSON.stringify(file, null, 1)], { type: "application/json" })), download: "progress.json" });
        doc.body.appendChild(link);
        link.click();
        link.remove();
      });
    });
    doc.querySelectorAll("[data-import-progress]").forEach(function (button) {
      var picker = el("input", { type: "file", accept: "application/json,.json", hidden: "" });
      button.after(picker);
      button.hidden = false;
      button.addEventListener("click", function () { picker.click(); });
      picker.addEventListener("change", function () {
        var chosen = picker.files[0];
        picker.value = "";
        if (!chosen) return;
        chosen.text().then(function (text) {
          var file = JSON.parse(text), imported = isMap(file) && file.format === "waymark-progress" ? cleanProgress(file.progress) : null;
          if (!imported) throw new Error("not progress");
          var count = 0;
          update(function () { count = mergeProgress(progress, imported); });
          if (transferStatus) transferStatus.textContent = t("importDone", { n: num(count) });
        }).catch(function () { if (transferStatus) transferStatus.textContent = t("importFailed"); });
      });
    });
    function earliest(a, b) { return a == null ? b : b == null ? a : Math.min(a, b); }
    // Both documents come from cleanProgress: only known fields, right types, no prototype.
    function mergeProgress(into, from) {
      var count = 0;
      function keepEarliest(ours, theirs, names) {
        names.forEach(function (k) { if (theirs[k] != null) ours[k] = earliest(ours[k], theirs[k]); });
      }
      Object.keys(from.items).forEach(function (id) {
        var theirs = from.items[id], ours = into.items[id];
        if (!ours || theirs.at > ours.at) { into.items[id] = theirs; count++; }
      });
      Object.keys(from.steps).forEach(function (id) {
        keepEarliest(into.steps[id] || (into.steps[id] = bareRecord()), from.steps[id], ["visited", "completed"]);
      });
      Object.keys(from.routes).forEach(function (id) {
        var theirs = from.routes[id], ours = into.routes[id] || (into.routes[id] = bareRecord({ stages: bareRecord() }));
        keepEarliest(ours, theirs, ["started", "completed"]);
        keepEarliest(ours.stages, theirs.stages, Object.keys(theirs.stages));
      });
      return count;
    }

    // Another tab ticked something: show it here too.
    window.addEventListener("storage", function (e) {
      if (e.key !== store.key(PROGRESS)) return;
      progress = loadProgress();
      syncPage();
    });
    render(routeStats(route));
  }
})();
