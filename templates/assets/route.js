/* Waymark route script, on route and step pages only: checklists that remember progress (with when each
   item, step, stage and route was done), progress bars, celebrations, resets, moving progress to another
   browser, and the route events (see docs/analytics.md). Uses the helpers waymark.js shares, which runs
   first (both scripts are deferred, in document order). */
(function () {
  "use strict";
  var W = window.Waymark && window.Waymark.shared;
  if (!W) return;
  var doc = document, root = doc.documentElement;
  var store = W.store, emit = W.emit, ui = W.ui, t = W.t, num = W.num, minutes = W.minutes, el = W.el, jsonFrom = W.jsonFrom, base = W.base;

  //@include progress.js

  // ---- onboarding routes: checklists, progress, celebrations ----
  // Version 1 of the progress document kept a "1" per ticked item ("task:<id>") and visited step
  // ("visited:<id>"): those are moved in on first read (time unknown: 0), so no reader loses progress.
  var PROGRESS = "progress";
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
      doc.querySelectorAll("[data-route-progress]").forEach(function (box) { showProgress(box, stats.percent, progressLabel(stats, ui), left, !begun); });
      Object.keys(stats.stages).forEach(function (id) {
        var stage = stats.stages[id];
        var stageBox = doc.querySelector('[data-stage-progress="' + CSS.escape(id) + '"]');
        showProgress(stageBox, stage.percent, progressLabel(stage, ui), "", !begun);
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
        if (r.started && r.completed && r.completed > r.started) summary += " " + t("routeFinishedTime", { time: duration(r.completed - r.started, ui) });
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
    var segment = (doc.querySelector("[data-remember-segment]") || root).getAttribute("data-remember-segment");
    // Applies `change` to the latest progress (another tab may have written since), saves it, shows it
    // and tells listeners what happened.
    function update(change, where) {
      progress = loadProgress();
      var prev = routeStats(route, progress), started = current ? startRoute(progress, segment) : false;
      var first = change() || [];
      var now = routeStats(route, progress), events = milestones(route, segment, progress, prev, now);
      saveProgress(progress);
      syncPage(now);
      celebrate(prev, now, where);
      if (started) emit("route_started", { segment: segment });
      first.concat(events).forEach(function (e) { emit(e[0], e[1]); });
    }
    function syncPage(stats) {
      doc.querySelectorAll(".task-item.is-interactive").forEach(function (item) {
        var input = item.querySelector("input");
        input.checked = taskDone(progress, item.getAttribute("data-task"));
        item.classList.toggle("is-done", input.checked);
      });
      render(stats || routeStats(route, progress));
    }
    function reset(steps, wholeRoute) {
      update(function () {
        var r = routeRecord(progress, segment);
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
        input.checked = taskDone(progress, id);
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
        var file = progressFile(window.location.origin + base, loadProgress());
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
        chosen.text().then(function (body) {
          var imported = progressFromFile(JSON.parse(body));
          if (!imported) throw new Error("not progress");
          var count = 0;
          update(function () { count = mergeProgress(progress, imported); });
          if (transferStatus) transferStatus.textContent = t("importDone", { n: num(count) });
        }).catch(function () { if (transferStatus) transferStatus.textContent = t("importFailed"); });
      });
    });
    // Another tab ticked something: show it here too.
    window.addEventListener("storage", function (e) {
      if (e.key !== store.key(PROGRESS)) return;
      progress = loadProgress();
      syncPage();
    });
    render(routeStats(route, progress));
  }
})();
