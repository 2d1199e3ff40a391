/* Waymark embed: <waymark-route segment="accountant" lang="fa"> shows a help center's onboarding route in
   another site's page (docs/embed.md). One dependency-free file, published without a fingerprint at the
   site's base path; the script's own address says where the site is. Progress is kept in the host page's
   origin, computed by the same model as the route pages (scripts/progress.js, included by the build). */
(function () {
  "use strict";
  var registry = window.customElements;
  if (!registry || registry.get("waymark-route")) return;
  var script = document.currentScript;
  var SITE = new URL(".", script && script.src ? script.src : window.location.href).href;
  var ORIGIN = new URL(SITE).origin;
  //@include text.js
  //@include progress.js
  //@include events.js

  // Segment ids and language codes as site.yml allows them; anything else never reaches a URL.
  var NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
  var store = storeFor(SITE), PROGRESS = "progress";
  function loadProgress() {
    try { return cleanProgress(JSON.parse(store.get(PROGRESS))) || emptyProgress(); } catch (e) { return emptyProgress(); }
  }
  function saveProgress(p) { store.set(PROGRESS, JSON.stringify(p)); }
  var widgets = [];
  // Another tab, or another widget on this page, changed progress: show it everywhere.
  function refreshAll(except) { widgets.forEach(function (w) { if (w !== except) w.refresh(); }); }
  window.addEventListener("storage", function (e) { if (e.key === store.key(PROGRESS)) refreshAll(null); });

  // One request per route.json however many widgets show it.
  var routes = Object.create(null);
  function loadRoute(url) {
    return routes[url] || (routes[url] = fetch(url, { mode: "cors", credentials: "omit", referrerPolicy: "strict-origin" })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(checkRoute)
      .catch(function (e) { delete routes[url]; throw e; }));
  }
  // route.json comes from another origin: only a route of the documented shape is shown (all text is
  // set as text), links go to the site's own origin only.
  function isText(x) { return typeof x === "string"; }
  function isCount(x) { return typeof x === "number" && isFinite(x) && x >= 0; }
  function checkRoute(r) {
    var ok = isMap(r) && NAME.test(r.language) && isMap(r.segment) && isText(r.segment.title) && NAME.test(r.segment.id) && safeKey(r.segment.id) &&
      Array.isArray(r.steps) && r.steps.length > 0 && Array.isArray(r.stages) &&
      r.steps.every(function (s) {
        return isMap(s) && isText(s.id) && safeKey(s.id) && isText(s.title) && isText(s.path) && isText(s.stage) && isCount(s.minutes) &&
          Array.isArray(s.checklist) && s.checklist.every(function (i) { return isMap(i) && isText(i.id) && safeKey(i.id) && isText(i.text); });
      }) &&
      r.stages.every(function (g) {
        return isMap(g) && isText(g.id) && safeKey(g.id) && isText(g.title) && Array.isArray(g.steps) &&
          g.steps.every(function (n) { return n === (n | 0) && n >= 1 && n <= r.steps.length; });
      });
    if (!ok) throw new Error("not a route");
    return r;
  }
  function siteLink(path) {
    try { var u = new URL(path, SITE); return u.origin === ORIGIN ? u.href : null; } catch (e) { return null; }
  }

  var CSS = ":host{all:initial;display:block;contain:content;font:var(--waymark-font-size,16px)/1.5 var(--waymark-font,system-ui,sans-serif);" +
    "--c:var(--waymark-text,#1b1f24);--m:var(--waymark-muted,#57606a);--b:var(--waymark-background,#fff);--s:var(--waymark-surface,#f4f6f8);" +
    "--l:var(--waymark-border,#d0d7de);--a:var(--waymark-accent,#0b5cad);--at:var(--waymark-accent-text,#fff);--d:var(--waymark-done,#1a7f37);--r:var(--waymark-radius,8px)}" +
    ":host([hidden]){display:none}" +
    "@media (prefers-color-scheme:dark){:host(:not([scheme=light])){--c:var(--waymark-text,#e6edf3);--m:var(--waymark-muted,#9da7b3);--b:var(--waymark-background,#0d1117);" +
    "--s:var(--waymark-surface,#161b22);--l:var(--waymark-border,#3d444d);--a:var(--waymark-accent,#6cb6ff);--at:var(--waymark-accent-text,#0d1117);--d:var(--waymark-done,#57c878)}}" +
    ":host([scheme=dark]){--c:var(--waymark-text,#e6edf3);--m:var(--waymark-muted,#9da7b3);--b:var(--waymark-background,#0d1117);--s:var(--waymark-surface,#161b22);" +
    "--l:var(--waymark-border,#3d444d);--a:var(--waymark-accent,#6cb6ff);--at:var(--waymark-accent-text,#0d1117);--d:var(--waymark-done,#57c878)}" +
    ".w{color:var(--c);background:var(--b);border:1px solid var(--l);border-radius:var(--r);padding:1em;overflow-wrap:anywhere}" +
    "h2,h3,h4,h5,h6,h7{margin:0 0 .5em;line-height:1.3;font-size:1.25em}.g h3,.g h4,.g h5,.g h6,.g h7{font-size:1.05em;margin:1em 0 .25em}" +
    "p{margin:.25em 0}ol,ul{list-style:none;margin:0;padding:0}.m,.t{color:var(--m);font-size:.875em}" +
    "progress{display:block;width:100%;height:.6em;margin:.5em 0 .25em;appearance:none;border:0;border-radius:1em;background:var(--s);overflow:hidden;accent-color:var(--a)}" +
    "progress::-webkit-progress-bar{background:var(--s)}progress::-webkit-progress-value{background:var(--a)}progress::-moz-progress-bar{background:var(--a)}" +
    ".p{margin:0 0 .5em}.p[hidden]{display:none}.s>li{border-top:1px solid var(--l)}" +
    "summary{cursor:pointer;display:flex;gap:.5em;align-items:baseline;padding:.6em .25em;min-height:24px;border-radius:4px}" +
    "summary .n{flex:none;min-width:1.6em;height:1.6em;line-height:1.6em;text-align:center;border-radius:50%;background:var(--s);font-size:.875em}" +
    "summary::-webkit-details-marker{display:none}summary::after{content:\"\";flex:none;align-self:center;width:.45em;height:.45em;margin-inline:.25em;" +
    "border:solid var(--m);border-width:0 2px 2px 0;transform:rotate(45deg)}[open]>summary::after{transform:rotate(-135deg)}" +
    "summary{list-style:none;flex-wrap:wrap}summary .x{flex:1 1 10em}summary .m{margin-inline-start:auto}.done summary .n{background:var(--d);color:var(--b)}.now summary .x{font-weight:600}" +
    ".k{padding:0 .25em .75em 2.35em}.k li{margin:.25em 0}label{display:flex;gap:.5em;align-items:flex-start;cursor:pointer;min-height:24px}" +
    "input{flex:none;width:1.15em;height:1.15em;margin:.2em 0 0;accent-color:var(--a)}a{color:var(--a);text-underline-offset:.15em;display:inline-block;min-height:24px}" +
    ".k>p{margin-top:.5em}:focus-visible{outline:2px solid var(--a);outline-offset:2px}" +
    ".c{margin:.5em 0;padding:.75em;border-radius:var(--r);background:var(--s);border-inline-start:4px solid var(--d)}.c[hidden]{display:none}" +
    ".c button{font:inherit;color:var(--at);background:var(--a);border:0;border-radius:4px;padding:.35em .8em;margin-top:.4em;cursor:pointer;min-height:24px}" +
    ".v{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}" +
    "@media (prefers-reduced-motion:no-preference){.c{animation:f .3s}}@keyframes f{from{opacity:0}}";
  var sheet = null;
  function styleRoot(shadow) {
    // A constructed sheet works under a host page's strict style-src; old browsers get a <style>.
    try {
      if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); }
      shadow.adoptedStyleSheets = [sheet];
    } catch (e) { shadow.appendChild(el("style", null, CSS)); }
  }

  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var count = 0;

  var WaymarkRoute = class extends HTMLElement {};
  WaymarkRoute.observedAttributes = ["segment", "lang"];
  var proto = WaymarkRoute.prototype;

  proto.connectedCallback = function () {
    if (!this._shadow) {
      this._shadow = this.attachShadow({ mode: "open" });
      styleRoot(this._shadow);
      this._id = "wm" + (++count);
    }
    if (widgets.indexOf(this) < 0) widgets.push(this);
    this._load();
  };
  proto.disconnectedCallback = function () {
    if (widgets.indexOf(this) >= 0) widgets.splice(widgets.indexOf(this), 1);
    if (this._sender) this._sender.flush();
  };
  proto.attributeChangedCallback = function () { if (this._shadow) this._load(); };

  Object.defineProperty(proto, "progress", {
    // The progress file the help center's "Save my progress to a file" writes; what `waymark:progress`
    // carries.
    get: function () { return progressFile(SITE, loadProgress()); },
    // Restores a progress file (or its bare document) as this page's progress: the product owns it.
    set: function (doc) {
      var p = progressFromFile(doc) || cleanProgress(doc);
      if (!p) { if (window.console) console.warn("waymark-route: progress must be a waymark-progress document (docs/embed.md)"); return; }
      saveProgress(p);
      refreshAll(null);
    }
  });

  proto._load = function () {
    var self = this, segment = this.getAttribute("segment") || "";
    var lang = (this.getAttribute("lang") || document.documentElement.lang || "en").split("-")[0].toLowerCase();
    this._route = null;
    if (!NAME.test(segment) || !NAME.test(lang)) return this._fail();
    var wanted = lang + "/" + segment;
    this._wanted = wanted;
    loadRoute(SITE + lang + "/segments/" + segment + "/route.json").then(function (route) {
      if (self._wanted !== wanted) return;
      self._route = route;
      self._segment = route.segment.id;
      self._text = textFor(isMap(route.strings) ? route.strings : {});
      var endpoint = isText(route.analytics) && self.getAttribute("analytics") !== "off" ? siteLink(route.analytics) || route.analytics : "";
      if (self._sender) self._sender.flush();
      self._sender = beacon(/^https?:\/\//.test(endpoint) ? endpoint : "", store);
      self._build();
    }).catch(function () { if (self._wanted === wanted) self._fail(); });
  };

  // A short message instead of the route (a missing segment, an unreachable site); the page's own
  // fallback content, when the element has some, is shown instead.
  proto._fail = function () {
    var shadow = this._shadow, box = el("div", { "class": "w", role: "note" });
    shadow.replaceChildren(box);
    var slot = el("slot");
    slot.appendChild(el("p", null, "The onboarding route could not be loaded."));
    box.appendChild(slot);
  };

  proto._build = function () {
    var self = this, route = this._route, t = this._text.t;
    var level = Math.min(6, Math.max(1, parseInt(this.getAttribute("heading-level"), 10) || 2));
    var id = this._id, w = el("section", { "class": "w", lang: route.language, dir: route.direction === "rtl" ? "rtl" : "ltr", "aria-labelledby": id });
    w.appendChild(el("h" + level, { id: id }, t("routeTitle", { segment: route.segment.title })));
    var summary = el("div", { "class": "p" });
    summary.appendChild(el("progress", { max: "100", "aria-labelledby": id }));
    summary.appendChild(el("p", { "class": "t" }));
    summary.appendChild(el("p", { "class": "m" }));
    w.appendChild(summary);
    this._summary = summary;
    this._stages = Object.create(null);
    this._steps = Object.create(null);
    var stages = el("ol", { "class": "g" });
    route.stages.forEach(function (stage) {
      var li = el("li"), sid = id + "-" + stages.children.length;
      li.appendChild(el("h" + Math.min(6, level + 1), { id: sid }, stage.title));
      var box = el("div", { "class": "p" });
      box.appendChild(el("progress", { max: "100", "aria-labelledby": sid }));
      box.appendChild(el("p", { "class": "t" }));
      li.appendChild(box);
      self._stages[stage.id] = box;
      var list = el("ol", { "class": "s" });
      stage.steps.forEach(function (n) { list.appendChild(self._step(route.steps[n - 1], n)); });
      li.appendChild(list);
      stages.appendChild(li);
    });
    w.appendChild(stages);
    this._celebration = el("div", { "class": "c", role: "status", hidden: "" });
    w.appendChild(this._celebration);
    this._shadow.replaceChildren(w);
    var stats = this.refresh();
    // The first open step starts unfolded: what the reader does next.
    if (stats.firstOpen) this._steps[stats.firstOpen.id].details.open = true;
  };

  proto._step = function (step, n) {
    var self = this, t = this._text.t, num = this._text.num, li = el("li"), details = el("details"), head = el("summary");
    head.appendChild(el("span", { "class": "n", "aria-hidden": "true" }, num(n)));
    var title = el("span", { "class": "x" });
    title.appendChild(el("span", { "class": "v" }, num(n) + ". "));
    title.appendChild(document.createTextNode(step.title));
    head.appendChild(title);
    var meta = el("span", { "class": "m" });
    head.appendChild(meta);
    details.appendChild(head);
    var body = el("div", { "class": "k" }), boxes = [];
    if (step.checklist.length) {
      var list = el("ul");
      step.checklist.forEach(function (item) {
        var input = el("input", { type: "checkbox" }), label = el("label"), row = el("li");
        label.appendChild(input);
        label.appendChild(el("span", null, item.text));
        row.appendChild(label);
        list.appendChild(row);
        boxes.push([item.id, input]);
        input.addEventListener("change", function () {
          var done = input.checked;
          self._update(step, function (progress) {
            progress.items[item.id] = bareRecord({ done: done, at: Date.now() });
            return [[done ? "item_ticked" : "item_unticked", { segment: self._segment, stage: step.stage, step: step.id, item: item.id }]];
          }, list);
        });
      });
      body.appendChild(list);
    }
    var href = siteLink(step.path);
    if (href) {
      var p = el("p"), a = el("a", { href: href, target: "_blank", rel: "noopener" }, t("embedOpenStep", { title: step.title }));
      a.appendChild(el("span", { "class": "v" }, " " + t("embedNewTab")));
      p.appendChild(a);
      body.appendChild(p);
      // Opening a step's page is a visit: a step without a checklist is done then, as on the site.
      var visit = function () {
        self._update(step, function (progress) {
          var record = progress.steps[step.id] || (progress.steps[step.id] = bareRecord());
          if (record.visited == null) record.visited = Date.now();
          return [["step_viewed", { segment: self._segment, stage: step.stage, step: step.id }]];
        }, p);
      };
      a.addEventListener("click", visit);
      a.addEventListener("auxclick", function (e) { if (e.button === 1) visit(); });
    }
    details.appendChild(body);
    li.appendChild(details);
    this._steps[step.id] = { li: li, details: details, head: head, meta: meta, boxes: boxes };
    return li;
  };

  function showBar(box, percent, label, left, hidden) {
    var bar = box.querySelector("progress");
    bar.value = percent;
    bar.setAttribute("aria-valuetext", label);
    box.querySelector(".t").textContent = label;
    var m = box.querySelector(".m");
    if (m) m.textContent = left;
    box.hidden = hidden;
  }

  // Shows the stored progress; returns its figures.
  proto.refresh = function () {
    var route = this._route;
    if (!route || !this._steps) return null;
    var self = this, text = this._text, t = text.t, progress = loadProgress(), stats = routeStats(route, progress);
    var record = progress.routes[this._segment], begun = stats.done > 0 || !!(record && record.started);
    showBar(this._summary, stats.percent, progressLabel(stats, text), stats.complete ? t("routeComplete") : t("timeLeft", { time: text.minutes(stats.minutesLeft) }), false);
    route.stages.forEach(function (stage) {
      var s = stats.stages[stage.id];
      showBar(self._stages[stage.id], s.percent, progressLabel(s, text), "", !begun);
    });
    route.steps.forEach(function (step) {
      var s = stats.steps[step.id], view = self._steps[step.id], now = !!stats.firstOpen && stats.firstOpen.id === step.id;
      view.li.className = (s.complete ? "done" : "") + (now ? " now" : "");
      if (now) view.head.setAttribute("aria-current", "step"); else view.head.removeAttribute("aria-current");
      var state = s.complete ? t("stepDone") : s.items && s.done ? t("progressItems", { done: text.num(s.done), total: text.num(s.total) }) : "";
      view.meta.textContent = text.minutes(step.minutes) + (state ? " · " + state : "");
      view.boxes.forEach(function (b) { b[1].checked = taskDone(progress, b[0]); });
    });
    return stats;
  };

  // Applies `change` to the latest progress, saves it, shows it, congratulates, and tells listeners: the
  // route events as on the site (with source "embed"), then `waymark:progress` with the whole document.
  proto._update = function (step, change, where) {
    var self = this, route = this._route, segment = this._segment, progress = loadProgress();
    var prev = routeStats(route, progress), started = startRoute(progress, segment);
    var first = change(progress) || [];
    var now = routeStats(route, progress), events = milestones(route, segment, progress, prev, now);
    saveProgress(progress);
    this.refresh();
    refreshAll(this);
    this._celebrate(prev, now, step, where);
    if (started) this._emit("route_started", { segment: segment });
    first.concat(events).forEach(function (e) { self._emit(e[0], e[1]); });
    this.dispatchEvent(new CustomEvent("waymark:progress", { detail: progressFile(SITE, progress), bubbles: true, composed: true }));
  };

  proto._emit = function (name, fields) {
    var event = this._sender.event(name, { lang: this._route.language, page: this._route.path, source: "embed" }, fields);
    this.dispatchEvent(new CustomEvent("waymark:" + name, { detail: event, bubbles: true, composed: true }));
  };

  // Milestones are congratulated where the reader is, as on the site: after the checklist just finished,
  // announced by the box's live region. A finished step names the next one; a finished stage, the next
  // stage; a finished route says what was done, in how long.
  proto._celebrate = function (prev, now, step, where) {
    var box = this._celebration, route = this._route, text = this._text, t = text.t, self = this;
    if (prev.steps[step.id].complete || !now.steps[step.id].complete) return;
    var stage = route.stages.filter(function (s) { return s.id === step.stage; })[0];
    var stageDone = !!stage && !prev.stages[stage.id].complete && now.stages[stage.id].complete, routeDone = !prev.complete && now.complete;
    if (!step.checklist.length && !stageDone && !routeDone) return;
    box.textContent = "";
    if (routeDone) {
      var r = loadProgress().routes[this._segment] || {};
      box.appendChild(el("p")).appendChild(el("strong", null, t("routeFinished", { route: route.segment.title })));
      var summary = t("routeFinishedSummary", { steps: text.num(now.stepTotal), items: text.num(now.items || now.total) });
      if (r.started && r.completed && r.completed > r.started) summary += " " + t("routeFinishedTime", { time: duration(r.completed - r.started, text) });
      box.appendChild(el("p", null, summary));
    } else {
      box.appendChild(el("p")).appendChild(el("strong", null, stageDone ? t("stageComplete", { stage: stage.title }) : t("stepComplete")));
      var following = stageDone ? route.stages[route.stages.indexOf(stage) + 1] : null;
      var target = following ? route.steps[following.steps[0] - 1] : now.firstOpen;
      if (target) {
        var next = el("button", { type: "button" }, following ? t("nextStageHint", { stage: following.title }) : t("nextStepHint", { title: target.title }));
        next.addEventListener("click", function () {
          var view = self._steps[target.id];
          view.details.open = true;
          view.head.focus();
          box.hidden = true;
        });
        box.appendChild(next);
      }
    }
    if (where && where.parentNode && where.nextSibling !== box) where.parentNode.insertBefore(box, where.nextSibling);
    box.hidden = false;
    var rect = box.getBoundingClientRect();
    if (rect.bottom > window.innerHeight || rect.top < 0) box.scrollIntoView({ block: "nearest", behavior: reducedMotion ? "auto" : "smooth" });
  };

  window.addEventListener("pagehide", function () { widgets.forEach(function (w) { if (w._sender) w._sender.flush(); }); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") widgets.forEach(function (w) { if (w._sender) w._sender.flush(); });
  });
  registry.define("waymark-route", WaymarkRoute);
})();
