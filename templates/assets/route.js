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

  // ---- one progress model: every bar and label on every page is drawn from these numbers ----
  // The unit is a checklist item; a step without a checklist counts as one item, done once visited. A
  // step, a stage and the route are tallies of the same units, so a bar's fill is always the fraction
  // its label states ("9 of 24 items done · 2 of 6 steps done"), and the time left is each step's time
  // times the share of its items still open.
  function stepStats(step) {
    var total = step.checklist.length;
    var done = step.checklist.filter(function (item) { return taskDone(item.id); }).length;
    var record = progress.steps[step.id];
    var complete = total > 0 ? done === total : !!record && record.visited != null;
    return { done: total ? done : (complete ? 1 : 0), total: total || 1, items: total, complete: complete };
  }
  function tally(steps, byStep) {
    var part = { done: 0, total: 0, items: 0, stepsDone: 0, stepTotal: steps.length, minutesLeft: 0, firstOpen: null };
    steps.forEach(function (step) {
      var s = byStep[step.id];
      part.done += s.done;
      part.total += s.total;
      part.items += s.items;
      if (s.complete) part.stepsDone++;
      else if (!part.firstOpen) part.firstOpen = step;
      part.minutesLeft += step.minutes * (s.total - s.done) / s.total;
    });
    part.minutesLeft = Math.ceil(part.minutesLeft);
    part.complete = part.stepsDone === part.stepTotal;
    part.percent = part.total ? 100 * part.done / part.total : 0;
    return part;
  }
  function routeStats(route) {
    var byStep = bareRecord();
    route.steps.forEach(function (step) { byStep[step.id] = stepStats(step); });
    var stats = tally(route.steps, byStep);
    stats.steps = byStep;
    stats.stages = bareRecord();
    route.stages.forEach(function (stage) {
      stats.stages[stage.id] = tally(stage.steps.map(function (n) { return route.steps[n - 1]; }), byStep);
    });
    return stats;
  }
  // What a tally's bar says: items where there are checklists (the bar's fraction), then whole steps.
  function progressLabel(part) {
    var steps = t("progressSteps", { done: num(part.stepsDone), total: num(part.stepTotal) });
    return part.items ? t("progressItems", { done: num(part.done), total: num(part.total) }) + " · " + steps : steps;
  }
  function showProgress(box, percent, text, timeLeft, hidden) {
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
    box.hidden = !!hidden;
  }

  var routeHost = doc.querySelector("script[data-route]");
  var route = routeHost ? jsonFrom("script[data-route]") : null;
  if (route) {
    var stepKey = (doc.querySelector("[data-step-page]") || { getAttribute: function () { return null; } }).getAttribute("data-step-page");
    var current = null;
    route.steps.forEach(function (s) { if (s.id === stepKey) current = s; });

    function render(stats) {
      // Bars appear once the reader has begun (opened a step or ticked an item): no empty tracks before.
      var started = stats.done > 0, begun = started || !!(progress.routes[segment] && progress.routes[segment].started);
      var left = stats.complete ? t("routeComplete") : t("timeLeft", { time: minutes(stats.minutesLeft) });
      doc.querySelectorAll("[data-route-progress]").forEach(function (box) { showProgress(box, stats.percent, progressLabel(stats), left, !begun); });
      Object.keys(stats.stages).forEach(function (id) {
        var stage = stats.stages[id];
        var stageBox = doc.querySelector('[data-stage-progress="' + CSS.escape(id) + '"]');
        showProgress(stageBox, stage.percent, progressLabel(stage), "", !begun);
        var stageEl = doc.querySelector('.stage[data-stage="' + CSS.escape(id) + '"]');
        if (stageEl) stageEl.classList.toggle("is-complete", stage.complete);
      });
      doc.querySelectorAll("[data-step]").forEach(function (li) {
        var s = stats.steps[li.getAttribute("data-step")];
        if (!s) return;
        var isCurrent = !!stats.firstOpen && stats.firstOpen.id === li.getAttribute("data-step");
        li.classList.toggle("is-done", s.complete);
        li.classList.toggle("is-current", isCurrent);
        var link = li.querySelector(".step-link");
        if (link) { if (isCurrent) link.setAttribute("aria-current", "step"); else link.removeAttribute("aria-current"); }
        var state = li.querySelector("[data-step-state]");
        if (state) state.textContent = s.complete ? t("stepDone") : (s.items && s.done ? t("progressItems", { done: num(s.done), total: num(s.total) }) : "");
      });
      // The main action names what comes next, or offers a second look once everything is done.
      var onRoutePage = !!doc.querySelector("[data-route-page]");
      doc.querySelectorAll("[data-route-start]").forEach(function (a) {
        if (!a.hasAttribute("data-label")) a.setAttribute("data-label", a.textContent);
        if (stats.complete) {
          a.textContent = t("reviewRoute");
          a.href = onRoutePage ? route.steps[0].path : route.path;
        } else if (started) {
          a.textContent = t("continueAt", { n: num(route.steps.indexOf(stats.firstOpen) + 1), title: stats.firstOpen.title });
          a.href = stats.firstOpen.path;
        } else {
          a.textContent = a.getAttribute("data-label");
          a.href = route.steps[0].path;
        }
        a.title = a.textContent;
      });
      doc.querySelectorAll("[data-reset-progress]").forEach(function (b) { b.hidden = !started; });
      doc.querySelectorAll("[data-reset-stage]").forEach(function (b) {
        var stage = stats.stages[b.getAttribute("data-reset-stage")];
        b.hidden = !stage || stage.done === 0;
      });
      doc.querySelectorAll("[data-reset-step]").forEach(function (b) { b.hidden = !current || !stats.steps[current.id].done; });
      if (current) {
        var s = stats.steps[current.id];
        showProgress(doc.querySelector("[data-step-progress]"), 100 * s.done / s.total, t("progressItems", { done: num(s.done), total: num(s.total) }));
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

    // Milestones are congratulated where the reader is: right after the checklist they just finished
    // (on a phone the last tick is the only place they are looking), announced to screen readers by the
    // box's live region. A finished step names the next one; a finished stage, the next stage; a finished
    // route gets its own moment: what was done, in how long, and where to go next.
    var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    function celebrate(prevStats, stats, where) {
      var box = doc.querySelector("[data-celebration]");
      if (!box || !current) return;
      var step = prevStats.steps[current.id], stepNow = stats.steps[current.id];
      if (step.complete || !stepNow.complete) return;
      var stage = route.stages.filter(function (s) { return s.id === current.stage; })[0];
      var stageDone = !prevStats.stages[stage.id].complete && stats.stages[stage.id].complete;
      var routeDone = !prevStats.complete && stats.complete;
      // Opening a step without a checklist completes it: only a stage or the route is worth a word then.
      if (!where && !stageDone && !routeDone) return;
      box.textContent = "";
      box.className = "celebration" + (routeDone ? " is-route" : stageDone ? " is-stage" : "");
      if (routeDone) {
        var r = progress.routes[segment] || {};
        box.appendChild(el("h2", null, t("routeFinished", { route: route.segment.title })));
        var summary = t("routeFinishedSummary", { steps: num(stats.stepTotal), items: num(stats.items || stats.total) });
        if (r.started && r.completed && r.completed > r.started) summary += " " + t("routeFinishedTime", { time: duration(r.completed - r.started) });
        box.appendChild(el("p", null, summary));
        var next = el("p", { "class": "celebration-actions" });
        next.appendChild(el("a", { "class": "button", href: route.path.replace(/route\/$/, "") }, t("routeFinishedNext")));
        next.appendChild(el("a", { href: route.path }, t("routeDone")));
        box.appendChild(next);
      } else {
        var p = el("p");
        p.appendChild(el("strong", null, stageDone ? t("stageComplete", { stage: stage.title }) : t("stepComplete")));
        var following = stageDone ? route.stages[route.stages.indexOf(stage) + 1] : null;
        var target = following ? route.steps[following.steps[0] - 1] : stats.firstOpen;
        if (target) {
          p.appendChild(doc.createTextNode(" "));
          p.appendChild(el("a", { href: target.path }, following ? t("nextStageHint", { stage: following.title }) : t("nextStepHint", { title: target.title })));
        }
        box.appendChild(p);
      }
      // Move the box to where the reader ticked: after the list holding the last item.
      var list = where && where.closest("ul, ol");
      if (list && list.parentNode && list.nextSibling !== box) list.parentNode.insertBefore(box, list.nextSibling);
      box.hidden = false;
      var rect = box.getBoundingClientRect();
      if (rect.bottom > window.innerHeight || rect.top < 0) box.scrollIntoView({ block: "nearest", behavior: reducedMotion ? "auto" : "smooth" });
    }
    function duration(ms) {
      var mins = Math.max(1, Math.round(ms / 60000));
      if (mins < 24 * 60) return minutes(mins);
      var days = Math.round(mins / (24 * 60));
      return days === 1 ? t("oneDay") : t("days", { n: num(days) });
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
      if (now.complete && !prev.complete && !r.completed) {
        r.completed = time;
        events.push(["route_completed", { segment: segment }]);
      }
      return events;
    }
    // Applies `change` to the latest progress (another tab may have written since), saves it, shows it
    // and tells listeners what happened.
    function update(change, where) {
      progress = loadProgress();
      var prev = routeStats(route), started = current ? startRoute() : false;
      var first = change() || [];
      var now = routeStats(route), events = milestones(prev, now);
      saveProgress(progress);
      syncPage(now);
      celebrate(prev, now, where);
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
          }, item);
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
