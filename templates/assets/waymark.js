/* Waymark browser script: language and segment memory, onboarding checklists with progress, search.
   Dependency-free, no inline handlers (works under a strict Content-Security-Policy). Every feature
   enhances server-rendered HTML, so pages stay readable without JavaScript. */
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  var base = root.getAttribute("data-base") || "/";

  // ---- storage: namespaced by the site's base path so two sites on one host never mix progress ----
  var store = {
    key: function (k) { return "waymark:" + base + ":" + k; },
    get: function (k) { try { return window.localStorage.getItem(store.key(k)); } catch (e) { return null; } },
    set: function (k, v) { try { window.localStorage.setItem(store.key(k), v); } catch (e) { /* private mode */ } },
    remove: function (k) { try { window.localStorage.removeItem(store.key(k)); } catch (e) { /* ignore */ } }
  };

  function jsonFrom(selector, scope) {
    var el = (scope || doc).querySelector(selector);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }
  var strings = jsonFrom("script[data-strings]") || {};
  function t(key, args) {
    var s = strings[key] || key;
    if (args) Object.keys(args).forEach(function (k) { s = s.split("{" + k + "}").join(String(args[k])); });
    return s;
  }
  var digits = strings.digits && strings.digits.length === 10 ? strings.digits : null;
  function num(n) {
    var s = String(n);
    return digits ? s.replace(/[0-9]/g, function (d) { return digits.charAt(+d); }) : s;
  }
  function minutes(n) {
    if (n < 60) return t("minutes", { n: num(n) });
    if (n % 60 === 0) return t("hours", { h: num(n / 60) });
    return t("hoursMinutes", { h: num(Math.floor(n / 60)), m: num(n % 60) });
  }
  function el(tag, attrs, text) {
    var e = doc.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }

  // ---- languages: remember the reader's choice; the root page forwards to it ----
  doc.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-lang]");
    if (link) store.set("lang", link.getAttribute("data-lang"));
    var choice = event.target.closest && event.target.closest("[data-segment-choice]");
    if (choice) store.set("segment", choice.getAttribute("data-segment-choice"));
  });
  var chooser = doc.querySelector("[data-language-chooser]");
  if (chooser) {
    var links = Array.prototype.slice.call(chooser.querySelectorAll("a[data-lang]"));
    var byCode = {};
    links.forEach(function (a) { byCode[a.getAttribute("data-lang").toLowerCase()] = a.href; });
    var wanted = [store.get("lang")].concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < wanted.length; i++) {
      var code = (wanted[i] || "").toLowerCase();
      var target = byCode[code] || byCode[code.split("-")[0]];
      if (target) { window.location.replace(target); break; }
    }
  }

  // ---- segments: pages of a segment remember it; the home page offers to continue ----
  var remember = doc.querySelector("[data-remember-segment]");
  if (remember) store.set("segment", remember.getAttribute("data-remember-segment"));
  var picker = doc.querySelector("[data-segment-picker]");
  if (picker) {
    var chosen = store.get("segment");
    var card = chosen && picker.querySelector('[data-segment="' + CSS.escape(chosen) + '"]');
    if (card) {
      card.classList.add("is-chosen");
      var link = card.querySelector("a");
      var box = picker.querySelector("[data-continue-route]");
      if (link && box) {
        var a = el("a", { href: link.getAttribute("href") }, t("continueYourRoute", { segment: link.textContent }));
        box.appendChild(a);
        box.hidden = false;
      }
    }
  }

  // ---- onboarding routes: checklists, progress, celebrations ----
  function taskDone(id) { return store.get("task:" + id) === "1"; }
  function stepStats(step) {
    var total = step.checklist.length;
    var done = step.checklist.filter(function (item) { return taskDone(item.id); }).length;
    var complete = total > 0 ? done === total : store.get("visited:" + step.id) === "1";
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
    if (bar) { bar.value = percent; bar.setAttribute("aria-valuetext", text); }
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

    if (current) {
      if (!current.checklist.length) store.set("visited:" + current.id, "1");
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
          var prev = routeStats(route);
          if (input.checked) store.set("task:" + id, "1"); else store.remove("task:" + id);
          item.classList.toggle("is-done", input.checked);
          var now = routeStats(route);
          render(now);
          celebrate(prev, now);
        });
      });
    }
    doc.querySelectorAll("[data-reset-progress]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (!window.confirm(t("resetConfirm"))) return;
        route.steps.forEach(function (step) {
          store.remove("visited:" + step.id);
          step.checklist.forEach(function (item) { store.remove("task:" + item.id); });
        });
        render(routeStats(route));
      });
    });
    render(routeStats(route));
  }
})();
