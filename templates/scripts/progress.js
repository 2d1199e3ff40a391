  // ---- the progress document and the one progress model (shared: route.js and embed.js include this
  // file; the labels take a `text` from scripts/text.js in the reader's language).
  // Progress is one versioned document: when each item was ticked (or un-ticked), when each step was
  // visited and completed, when each route was started and each of its stages and itself completed.
  //   { "v": 2, "items": { "<step>#<key>": { "done": true, "at": ms } },
  //     "steps": { "<step>": { "visited": ms, "completed": ms } },
  //     "routes": { "<segment>": { "started": ms, "completed": ms, "stages": { "<stage>": ms } } } }
  // Progress comes from outside the script: storage (any page on the origin can write it, and the
  // storage event brings what another tab wrote), imported files, and a product's own backend
  // (`element.progress = doc` in the widget). It is copied field by field into records without a
  // prototype, keeping only the known fields with the right types and never a key named __proto__,
  // constructor or prototype: a key like that written into an ordinary object reaches Object.prototype,
  // after which every new record looks started or completed and milestones stop.
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
  // The progress file ("Save my progress to a file", the widget's `waymark:progress` event).
  function progressFile(site, progress) {
    return { format: "waymark-progress", v: 2, site: site, exported: new Date().toISOString(), progress: progress };
  }
  // A progress file's document, cleaned; null when `file` is not one.
  function progressFromFile(file) {
    return isMap(file) && file.format === "waymark-progress" ? cleanProgress(file.progress) : null;
  }
  function taskDone(progress, id) { var item = progress.items[id]; return !!item && item.done === true; }

  // The unit is a checklist item; a step without a checklist counts as one item, done once visited. A
  // step, a stage and the route are tallies of the same units, so a bar's fill is always the fraction
  // its label states ("9 of 24 items done · 2 of 6 steps done"), and the time left is each step's time
  // times the share of its items still open.
  function stepStats(step, progress) {
    var total = step.checklist.length;
    var done = step.checklist.filter(function (item) { return taskDone(progress, item.id); }).length;
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
  function routeStats(route, progress) {
    var byStep = bareRecord();
    route.steps.forEach(function (step) { byStep[step.id] = stepStats(step, progress); });
    var stats = tally(route.steps, byStep);
    stats.steps = byStep;
    stats.stages = bareRecord();
    route.stages.forEach(function (stage) {
      stats.stages[stage.id] = tally(stage.steps.map(function (n) { return route.steps[n - 1]; }), byStep);
    });
    return stats;
  }
  // What a tally's bar says: items where there are checklists (the bar's fraction), then whole steps.
  function progressLabel(part, text) {
    var t = text.t, num = text.num, steps = t("progressSteps", { done: num(part.stepsDone), total: num(part.stepTotal) });
    // "9 of 24 items done · 2 of 6 steps done"; Persian joins with its comma, as a middle dot reads like its zero (۰).
    return part.items ? t("progressBoth", { items: t("progressItems", { done: num(part.done), total: num(part.total) }), steps: steps }) : steps;
  }
  // How long a route took, for its congratulation.
  function duration(ms, text) {
    var mins = Math.max(1, Math.round(ms / 60000));
    if (mins < 24 * 60) return text.minutes(mins);
    var days = Math.round(mins / (24 * 60));
    return days === 1 ? text.t("oneDay") : text.t("days", { n: text.num(days) });
  }

  // A route's record in `progress`, made when missing.
  function routeRecord(progress, segment) {
    var r = progress.routes[segment] || (progress.routes[segment] = bareRecord());
    if (!r.stages) r.stages = bareRecord();
    return r;
  }
  // Started on the first step opened or item ticked; true the first time.
  function startRoute(progress, segment) {
    var r = routeRecord(progress, segment);
    if (r.started) return false;
    r.started = Date.now();
    return true;
  }
  // What a change completed, recorded the first time each is reached (un-ticking keeps the record;
  // only a reset clears it), as events in order: steps, then stages, then the route.
  function milestones(route, segment, progress, prev, now) {
    var at = Date.now(), r = routeRecord(progress, segment), events = [];
    route.steps.forEach(function (step) {
      var record = progress.steps[step.id];
      if (!now.steps[step.id].complete || prev.steps[step.id].complete || (record && record.completed)) return;
      (record || (progress.steps[step.id] = bareRecord())).completed = at;
      events.push(["step_completed", { segment: segment, stage: step.stage, step: step.id }]);
    });
    route.stages.forEach(function (stage) {
      if (!now.stages[stage.id].complete || prev.stages[stage.id].complete || r.stages[stage.id]) return;
      r.stages[stage.id] = at;
      events.push(["stage_completed", { segment: segment, stage: stage.id }]);
    });
    if (now.complete && !prev.complete && !r.completed) {
      r.completed = at;
      events.push(["route_completed", { segment: segment }]);
    }
    return events;
  }
  // Moving progress between browsers, or from the help center to a product and back: merged, for each
  // item the later change wins; the earliest start and completion times are kept. Both documents come
  // from cleanProgress: only known fields, right types, no prototype. Returns how many items changed.
  function earliest(a, b) { return a == null ? b : b == null ? a : Math.min(a, b); }
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
