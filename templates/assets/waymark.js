/* Waymark browser script: language and segment memory, onboarding checklists with progress, search.
   Dependency-free, no inline handlers (works under a strict Content-Security-Policy). Every feature
   enhances server-rendered HTML, so pages stay readable without JavaScript. */
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  var base = root.getAttribute("data-base") || "/";
  //@include text.js
  //@include events.js

  // ---- storage: namespaced by the site's base path so two sites on one host never mix progress ----
  var store = storeFor(base);

  function jsonFrom(selector, scope) {
    var el = (scope || doc).querySelector(selector);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }
  var strings = jsonFrom("script[data-strings]") || {};
  var ui = textFor(strings), t = ui.t, num = ui.num, minutes = ui.minutes;

  // ---- events: each reader action is a CustomEvent on document ("waymark:item_ticked", detail = the
  // event) that a product embedding the site or a tag manager can listen to, and goes to site.yml's
  // analytics.endpoint when there is one (scripts/events.js). ----
  var analytics = doc.querySelector("[data-analytics]");
  var endpoint = analytics ? analytics.getAttribute("data-analytics") : "";
  var sender = beacon(endpoint, store), trackingRefused = sender.refused, sending = sender.sending, flush = sender.flush;
  function emit(name, fields) {
    var event = sender.event(name, { lang: root.lang, page: window.location.pathname }, fields);
    doc.dispatchEvent(new CustomEvent("waymark:" + name, { detail: event }));
  }
  // A search counts once the reader stops typing (or opens a result or leaves), not at every keystroke.
  var pendingSearch = null, lastSearch = null, searchTimer = null;
  function searched(query, results, filters) {
    clearTimeout(searchTimer);
    pendingSearch = { query: query, results: results, filters: filters };
    searchTimer = setTimeout(reportSearch, 1500);
  }
  function reportSearch() {
    clearTimeout(searchTimer);
    var done = pendingSearch, key = JSON.stringify(done);
    pendingSearch = null;
    if (!done || key === lastSearch) return;
    lastSearch = key;
    emit("search_performed", done);
  }
  function resultOpened(query, rank, url) {
    reportSearch();
    emit("search_result_opened", { query: query, rank: rank, target: url });
  }
  window.addEventListener("pagehide", function () { reportSearch(); flush(); });
  doc.addEventListener("visibilitychange", function () { if (doc.visibilityState === "hidden") { reportSearch(); flush(); } });
  if (analytics && endpoint) {
    // The footer says what is sent and lets the reader turn it off or start over with a new id.
    var state = analytics.querySelector("[data-analytics-state]"), toggle = analytics.querySelector("[data-analytics-toggle]");
    var renew = analytics.querySelector("[data-analytics-renew]");
    var showChoice = function () {
      var on = sending();
      state.textContent = trackingRefused ? t("analyticsRefused") : on ? t("analyticsOn") : t("analyticsOff");
      toggle.hidden = trackingRefused;
      toggle.textContent = on ? t("analyticsTurnOff") : t("analyticsTurnOn");
      renew.hidden = !on;
    };
    toggle.addEventListener("click", function () {
      if (sending()) { sender.drop(); store.set("analytics", "off"); } else store.remove("analytics");
      showChoice();
    });
    renew.addEventListener("click", function () { sender.renew(); renew.textContent = t("analyticsRenewed"); });
    analytics.hidden = false;
    showChoice();
  }
  var fallbackNotice = doc.querySelector("[data-fallback-from]");
  if (fallbackNotice) emit("fallback_shown", { from: fallbackNotice.getAttribute("data-fallback-from") });

  // ---- wide code blocks and tables scroll sideways: make them reachable from the keyboard ----
  doc.querySelectorAll(".prose pre, .prose table").forEach(function (block) {
    if (block.scrollWidth > block.clientWidth + 1) block.setAttribute("tabindex", "0");
  });

  // ---- the whole-route page prints from a button (hidden without script) ----
  doc.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Says `text` to screen readers for two seconds (a copied link or code block).
  function announce(text) {
    var status = doc.getElementById("waymark-status");
    if (!status) {
      status = el("span", { id: "waymark-status", role: "status", "class": "visually-hidden" });
      doc.body.appendChild(status);
    }
    status.textContent = text;
    setTimeout(function () { if (status.textContent === text) status.textContent = ""; }, 2000);
  }

  // ---- heading links: following one also copies its address, and says so next to it ----
  doc.addEventListener("click", function (event) {
    var anchor = event.target.closest && event.target.closest(".heading-anchor");
    if (!anchor || !navigator.clipboard) return;
    navigator.clipboard.writeText(anchor.href).then(function () {
      anchor.classList.add("is-copied");
      announce(anchor.getAttribute("data-copied"));
      setTimeout(function () { anchor.classList.remove("is-copied"); }, 2000);
    }, function () { /* no clipboard permission: following the link is enough */ });
  });

  // ---- code blocks get a copy button; without script (or clipboard) code is selected by hand ----
  if (navigator.clipboard) {
    doc.querySelectorAll(".prose pre > code").forEach(function (code) {
      var pre = code.parentNode, box = el("div", { "class": "code-block" });
      var button = el("button", { type: "button", "class": "code-copy" }, t("copyCode"));
      pre.parentNode.insertBefore(box, pre);
      box.appendChild(pre);
      box.appendChild(button);
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(code.textContent).then(function () {
          button.textContent = t("codeCopied");
          announce(t("codeCopied"));
          setTimeout(function () { button.textContent = t("copyCode"); }, 2000);
        }, function () { /* no clipboard permission: the code can still be selected */ });
      });
    });
  }

  // ---- phone header: search and the menu (languages, sections) behind two buttons, which the stylesheet
  // shows at phone widths only; without script the header shows everything ----
  var header = doc.querySelector("[data-site-header]");
  if (header) {
    header.classList.add("is-compact");
    header.querySelectorAll("[data-header-toggle]").forEach(function (button) {
      var which = button.getAttribute("data-header-toggle");
      button.hidden = false;
      button.addEventListener("click", function () {
        var open = !header.classList.contains(which + "-open");
        header.classList.toggle(which + "-open", open);
        button.setAttribute("aria-expanded", String(open));
        var input = open && which === "search" && header.querySelector(".search-form input");
        if (input) input.focus();
      });
    });
  }

  // ---- on phones, "On this page" and the route map sit above the text, closed until asked for ----
  if (window.matchMedia && window.matchMedia("(max-width: 63.99rem)").matches) {
    doc.querySelectorAll("details[data-toc]").forEach(function (d) { d.open = false; });
  }

  // ---- code blocks that scroll sideways take keyboard focus (arrow keys scroll them) ----
  function focusableScrollers() {
    doc.querySelectorAll(".prose pre").forEach(function (pre) {
      if (pre.scrollWidth > pre.clientWidth + 1) pre.setAttribute("tabindex", "0"); else pre.removeAttribute("tabindex");
    });
  }
  focusableScrollers();
  window.addEventListener("resize", focusableScrollers);

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
    var byCode = Object.create(null);
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

  // ---- search: the same analysis, shard choice and integer scoring as `waymark search` (SearchEngine.swift) ----
  var MAX_WORD = 48, TITLE_END = 1000;
  var wordRe = /[\p{L}\p{M}\p{N}\u200C\u200D]+/gu;
  var utf8 = new TextEncoder(), text = new TextDecoder();

  function normalizeWord(raw, a) {
    var out = "", count = 0;
    for (var ch of raw) {
      for (var c of ch.toLowerCase()) {
        var r = a.normalize[c];
        if (r !== undefined) { out += r; count += Array.from(r).length; } else { out += c; count++; }
      }
    }
    return count === 0 || count > MAX_WORD ? null : out;
  }
  function fold(normal, a) {
    if (/^[\x00-\x7f]*$/.test(normal)) return normal;
    var out = "", afterLatin = false;
    for (var c of normal.normalize("NFD")) {
      var v = c.codePointAt(0);
      if (v >= 0x300 && v <= 0x36f) { if (!afterLatin) out += c; continue; }
      var r = a.fold[c];
      if (r !== undefined) { out += r; afterLatin = true; } else { out += c; afterLatin = v >= 0x61 && v <= 0x7a; }
    }
    return out.normalize("NFC");
  }
  function analyze(input, a) {
    var out = [], pending = null, m;
    wordRe.lastIndex = 0;
    while ((m = wordRe.exec(input))) {
      var normal = normalizeWord(m[0].normalize("NFKC"), a);
      if (normal === null) continue;
      if (pending !== null) { normal = pending + normal; pending = null; }
      else if (a.prefixes.indexOf(normal) >= 0) { pending = normal; continue; }
      else if (a.suffixes.indexOf(normal) >= 0 && out.length) normal = out.pop().normal + normal;
      out.push({ normal: normal, folded: fold(normal, a) });
    }
    if (pending !== null) out.push({ normal: pending, folded: fold(pending, a) });
    return out;
  }
  function scalars(s) { return Array.from(s); }
  function shardOf(folded, count) {
    var bytes = utf8.encode(scalars(folded).slice(0, 2).join("")), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h % Math.max(count, 1);
  }
  function withinOneEdit(a, b) {
    var m = a.length, n = b.length, i = 0;
    if (Math.abs(m - n) > 1) return false;
    while (i < m && i < n && a[i] === b[i]) i++;
    if (i === m && i === n) return false;
    var same = function (x, xi, y, yi) {
      if (x.length - xi !== y.length - yi) return false;
      for (; xi < x.length; xi++, yi++) if (x[xi] !== y[yi]) return false;
      return true;
    };
    if (m === n) return same(a, i + 1, b, i + 1) || (i + 1 < m && a[i] === b[i + 1] && a[i + 1] === b[i] && same(a, i + 2, b, i + 2));
    return m > n ? same(a, i + 1, b, i) : same(a, i, b, i + 1);
  }
  function parseShard(buffer) {
    var bytes = new Uint8Array(buffer), o = 4;
    if (text.decode(bytes.subarray(0, 4)) !== "WMS1") throw new Error("bad shard");
    function varint() { var r = 0, shift = 0, b; do { b = bytes[o++]; r += (b & 0x7f) * Math.pow(2, shift); shift += 7; } while (b >= 0x80); return r; }
    function data() { var n = varint(); var d = bytes.subarray(o, o + n); o += n; return d; }
    var count = varint(), entries = [], previous = new Uint8Array(0);
    for (var e = 0; e < count; e++) {
      var shared = varint(), suffix = data();
      var folded = new Uint8Array(shared + suffix.length);
      folded.set(previous.subarray(0, shared)); folded.set(suffix, shared);
      var keyShared = varint(), keySuffix = data();
      var key = new Uint8Array(keyShared + keySuffix.length);
      key.set(folded.subarray(0, keyShared)); key.set(keySuffix, keyShared);
      var foldedText = text.decode(folded), variants = [], vc = varint();
      for (var v = 0; v < vc; v++) {
        var normal = data(), pc = varint(), postings = [], doc = 0;
        for (var p = 0; p < pc; p++) {
          doc += varint();
          var impact = bytes[o++], n = varint(), positions = [], pos = 0;
          for (var k = 0; k < n; k++) { pos += varint(); positions.push(pos); }
          postings.push({ doc: doc, impact: impact, positions: positions });
        }
        variants.push({ normal: normal.length ? text.decode(normal) : foldedText, postings: postings });
      }
      entries.push({ folded: foldedText, key: text.decode(key), variants: variants });
      previous = folded;
    }
    return entries;
  }

  // An index file, fetched again once when the first try fails: a dropped connection on a phone's network
  // (or a busy server's) must not read as "no results".
  function indexFile(url, as) {
    function once() { return fetch(url).then(function (r) { if (!r.ok) throw new Error(r.status); return r[as](); }); }
    return once().catch(once);
  }
  // Keeps a file's promise for later queries, unless it failed: the next query asks again.
  function kept(cache, key, make) {
    if (!cache[key]) cache[key] = make().catch(function (e) { delete cache[key]; throw e; });
    return cache[key];
  }

  function SearchIndex(url) {
    this.url = url;
    this.shards = {};
    this.chunks = {};
    this.meta = indexFile(url + "meta.json", "json")
      .then(function (meta) {
        // Another index format (a cache serving an older meta.json with this script) is not misread.
        if (meta.version !== 3) throw new Error("search index format " + meta.version);
        // The search interface's strings travel with the index (pages carry only what they use).
        Object.keys(meta.strings || {}).forEach(function (k) { if (!(k in strings)) strings[k] = meta.strings[k]; });
        return meta;
      });
  }
  SearchIndex.prototype.shard = function (meta, i) {
    var url = this.url + meta.shards[i];
    return kept(this.shards, i, function () { return indexFile(url, "arrayBuffer").then(parseShard); });
  };
  SearchIndex.prototype.fragment = function (meta, doc) {
    var c = Math.floor(doc / meta.chunk), url = this.url + meta.fragments[c];
    return kept(this.chunks, c, function () { return indexFile(url, "json"); }).then(function (list) { return list[doc % meta.chunk]; });
  };
  // Pages an entry is on, over its written forms (what "more used" means for corrections).
  function pageCount(e) {
    var n = 0;
    e.variants.forEach(function (v) { n += v.postings.length; });
    return n;
  }
  // An entry written in its most used form (the first of the most used on ties).
  function mostUsedForm(e) {
    var form = e.variants[0];
    e.variants.forEach(function (v) { if (v.postings.length > form.postings.length) form = v; });
    return form.normal;
  }
  // A short word the index lacks (`chrn`): the indexed word one edit away, with the same first two
  // letters, that is on at least `clearCorrection` times as many pages as all the others together
  // (SearchEngine.clearlyMeant).
  function clearlyMeant(entries, target, w) {
    var best = null, others = 0;
    entries.forEach(function (e) {
      var c = scalars(e.folded);
      if (c.length < 2 || c[0] !== target[0] || c[1] !== target[1] || !withinOneEdit(c, target)) return;
      var n = pageCount(e);
      if (!best || n > best.pages) { if (best) others += best.pages; best = { entry: e, pages: n }; } else others += n;
    });
    return best && best.pages >= w.clearCorrection * others ? best.entry : null;
  }
  // Matches of one query word: {entry, weight, spelling} where spelling marks a correction of a word the
  // index lacks (one typo, or a short word clearly meant); `correct` false searches the words as typed.
  SearchIndex.prototype.expansions = function (meta, word, isLast, prefix, correct) {
    var self = this, f = word.folded, a = meta.analysis, w = meta.ranking;
    return self.shard(meta, shardOf(f, meta.shards.length)).then(function (entries) {
      // Sets keyed by words: no prototype, so `constructor` is a word like any other.
      var out = [], taken = Object.create(null), exact = null, i;
      for (i = 0; i < entries.length; i++) if (entries[i].folded === f) { exact = entries[i]; break; }
      // A word the index lacks: every indexed stem the stem rules make of it (SearchEngine.stemCandidates).
      var keys = Object.create(null), length = scalars(f).length;
      if (exact) keys[exact.key] = true;
      else if (a.stem) {
        keys[f] = true;
        meta.stemRules.forEach(function (r) {
          if (r.length === 2 && f.endsWith(r[0]) && length - scalars(r[0]).length >= 2) keys[f.slice(0, f.length - r[0].length) + r[1]] = true;
        });
      }
      var sameStem = exact ? w.sameStem : w.guessedStem;
      entries.forEach(function (e) {
        if (keys[e.key]) { out.push({ entry: e, weight: e.folded === f ? w.exact : sameStem }); taken[e.folded] = true; }
      });
      return Promise.resolve().then(function () {
        if (isLast && prefix && scalars(f).length >= 2) {
          var added = 0;
          entries.forEach(function (e) {
            if (added < w.prefixLimit && e.folded !== f && e.folded.startsWith(f) && !taken[e.folded]) { out.push({ entry: e, weight: w.prefix }); taken[e.folded] = true; added++; }
          });
        }
        var target = scalars(f);
        if (correct !== false && !exact && target.length >= w.typoLength) entries.forEach(function (e) {
          if (taken[e.folded]) return;
          var candidate = scalars(e.folded);
          if (withinOneEdit(candidate, target)) out.push({ entry: e, weight: w.typo, spelling: true });
          else if (isLast && prefix && candidate.length > target.length &&
            [target.length - 1, target.length, target.length + 1].some(function (n) { return withinOneEdit(candidate.slice(0, n), target); }))
            out.push({ entry: e, weight: w.typoPrefix, spelling: true });
        });
        else if (correct !== false && !out.length && target.length >= w.correctionLength) {
          var clear = clearlyMeant(entries, target, w);
          if (clear) out.push({ entry: clear, weight: w.typo, spelling: true });
        }
        return out;
      });
    });
  };
  // Query words (at most 10) and the ranges typed inside double quotes; an unclosed quote runs to the end.
  function parse(query, a) {
    var words = [], phrases = [];
    query.split('"').forEach(function (part, i) {
      var start = words.length;
      words = words.concat(analyze(part, a)).slice(0, 10);
      if (i % 2 === 1 && words.length - start >= 2) phrases.push([start, words.length]);
    });
    return { words: words, phrases: phrases };
  }
  // Positions p where a phrase starts: p + k among word k's positions (Sets) for every word.
  function phraseStarts(positions) {
    var starts = Array.from(positions[0]);
    positions.forEach(function (next, k) { starts = starts.filter(function (p) { return next.has(p + k); }); });
    return starts;
  }
  function entryIn(self, meta, w) {
    return self.shard(meta, shardOf(w, meta.shards.length)).then(function (entries) {
      for (var j = 0; j < entries.length; j++) if (entries[j].folded === w) return entries[j];
      return null;
    });
  }
  // A synonym alternative's entry: a word's own, or a phrase's pages with its words adjacent in order
  // on the stored positions (SearchEngine.synonymEntry).
  SearchIndex.prototype.synonymEntry = function (meta, alternative) {
    var words = alternative.split(" ");
    return Promise.all(words.map(function (w) { return entryIn(this, meta, w); }, this)).then(function (found) {
      if (found.some(function (e) { return !e; })) return null;
      if (found.length === 1) return found[0];
      var perWord = found.map(function (e) {
        var pages = new Map();
        e.variants.forEach(function (v) {
          v.postings.forEach(function (p) {
            var old = pages.get(p.doc) || { impact: 0, positions: new Set() };
            old.impact = Math.max(old.impact, p.impact);
            p.positions.forEach(function (x) { old.positions.add(x); });
            pages.set(p.doc, old);
          });
        });
        return pages;
      });
      var postings = [];
      Array.from(perWord[0].keys()).sort(function (x, y) { return x - y; }).forEach(function (doc) {
        var hits = perWord.map(function (m) { return m.get(doc); });
        if (!hits.every(Boolean)) return;
        var starts = phraseStarts(hits.map(function (h) { return h.positions; }));
        if (!starts.length) return;
        var impact = Math.min.apply(null, hits.map(function (h) { return h.impact; })), positions = [];
        starts.sort(function (x, y) { return x - y; }).forEach(function (p) { for (var k = 0; k < perWord.length; k++) positions.push(p + k); });
        postings.push({ doc: doc, impact: impact, positions: positions });
      });
      return { folded: alternative, key: alternative, variants: [{ normal: alternative, postings: postings }] };
    });
  };
  // A group's alternative typed in the query makes its words also match each other alternative.
  SearchIndex.prototype.addSynonyms = function (meta, words, expanded) {
    var self = this, chain = Promise.resolve(), cache = Object.create(null);
    meta.synonyms.forEach(function (group) {
      group.forEach(function (typed) {
        var alternative = typed.split(" ");
        for (var start = 0; start + alternative.length <= words.length; start++) {
          if (!alternative.every(function (w, k) { return words[start + k].folded === w; })) continue;
          group.forEach(function (other) {
            if (other === typed) return;
            var from = start;
            chain = chain.then(function () {
              if (!(other in cache)) cache[other] = self.synonymEntry(meta, other);
              return cache[other];
            }).then(function (entry) {
              if (!entry) return;
              for (var k = from; k < from + alternative.length; k++)
                if (!expanded[k].some(function (x) { return x.entry.folded === entry.folded; })) expanded[k].push({ entry: entry, weight: meta.ranking.synonym });
            });
          });
        }
      });
    });
    return chain.then(function () { return expanded; });
  };
  /** Ranked results: [{url, title, anchor, heading, excerpt, highlights, kind, context, score}] */
  SearchIndex.prototype.search = function (query, options) {
    return this.respond(query, options).then(function (r) { return r.results; });
  };
  /** {results, correctedQuery}: the query as corrected when a misspelled word was matched through a
      correction, else null (SearchEngine.respond). */
  SearchIndex.prototype.respond = function (query, options) {
    var self = this;
    options = options || {};
    return self.meta.then(function (meta) {
      var parsed = parse(query, meta.analysis), words = parsed.words, correct = !options.literal;
      if (!words.length) return { results: [], correctedQuery: null };
      return Promise.all(words.map(function (w, i) { return self.expansions(meta, w, i === words.length - 1, options.prefix !== false, correct); }))
        .then(function (expanded) { return self.addSynonyms(meta, words, expanded); })
        .then(function (expanded) {
          // Two query words the index has as one word match it as both (see SearchEngine.swift).
          var chain = Promise.resolve();
          words.slice(0, -1).forEach(function (w, i) {
            chain = chain.then(function () {
              var joined = w.folded + words[i + 1].folded;
              return self.shard(meta, shardOf(joined, meta.shards.length)).then(function (entries) {
                var added = 0;
                entries.forEach(function (e) {
                  if (added >= meta.ranking.joinedLimit || !e.folded.startsWith(joined) || expanded[i].some(function (x) { return x.entry.folded === e.folded; })) return;
                  var weight = e.folded === joined ? meta.ranking.joined : meta.ranking.joinedPrefix;
                  expanded[i].push({ entry: e, weight: weight });
                  expanded[i + 1].push({ entry: e, weight: weight });
                  added++;
                });
              });
            });
          });
          return chain.then(function () { return expanded; });
        })
        .then(function (expanded) {
          // Per word and page: best weighted impact, positions, matched as typed, as typed in the title.
          var best = words.map(function () { return new Map(); }), marked = [];
          expanded.forEach(function (list, i) {
            var word = words[i], typing = i === words.length - 1 && options.prefix !== false;
            marked[i] = word.normal !== word.folded;
            list.forEach(function (x) {
              x.entry.variants.forEach(function (variant) {
                var same = variant.normal === word.normal || (typing && variant.normal.length > word.normal.length && variant.normal.startsWith(word.normal));
                var multiplier = x.weight * (marked[i] ? (same ? meta.ranking.markedSame : meta.ranking.markedOther) : meta.ranking.plain);
                variant.postings.forEach(function (p) {
                  var value = p.impact * multiplier, current = best[i].get(p.doc);
                  if (!current) { current = { score: 0, positions: [], exact: false, title: false }; best[i].set(p.doc, current); }
                  if (value > current.score) current.score = value;
                  Array.prototype.push.apply(current.positions, p.positions);
                  if (!marked[i] || same) {
                    current.exact = true;
                    if (p.positions.some(function (q) { return q < TITLE_END; })) current.title = true;
                  }
                });
              });
            });
          });
          var segmentIndex = options.segment ? meta.segments.indexOf(options.segment) : -1;
          var stageCode = options.stage ? meta.stages.indexOf(options.stage) + 1 : -1;
          var docs = new Set();
          best.forEach(function (m) { m.forEach(function (_, d) { docs.add(d); }); });
          var scored = [], r = meta.ranking;
          docs.forEach(function (doc) {
            var code = meta.filters[doc] || 0;
            if (options.segment && (segmentIndex < 0 || !(code & (1 << (segmentIndex + 5))))) return;
            if (options.stage && ((code >> 1) & 0xf) !== stageCode) return;
            if (options.kind && ((code & 1) ? "guide" : "article") !== options.kind) return;
            // Quoted words are all required; pages where they are seen adjacent, in order, come first.
            var phraseMatches = 0, missing = false;
            parsed.phrases.forEach(function (range) {
              var hits = best.slice(range[0], range[1]).map(function (m) { return m.get(doc); });
              if (!hits.every(Boolean)) missing = true;
              else if (phraseStarts(hits.map(function (h) { return new Set(h.positions); })).length) phraseMatches++;
            });
            if (missing) return;
            var base = 0, matched = 0, proximity = 0, inTitle = 0, exact = 0;
            best.forEach(function (m, i) {
              var s = m.get(doc);
              if (!s) return;
              base += s.score; matched++;
              if (marked[i] && s.exact) exact++;
              if (s.title) inTitle++;
            });
            for (var i = 0; i + 1 < words.length; i++) {
              var x = best[i].get(doc), y = best[i + 1].get(doc);
              if (!x || !y) continue;
              var closest = Infinity, adjacent = false;
              x.positions.forEach(function (p) { y.positions.forEach(function (q) { closest = Math.min(closest, Math.abs(q - p)); if (q - p === 1) adjacent = true; }); });
              proximity += adjacent ? r.adjacent : closest <= r.nearDistance ? r.near : closest <= r.farDistance ? r.far : 0;
            }
            var titleCovers = inTitle === words.length ? r.titleCovers : 1;
            scored.push({ doc: doc, phrases: phraseMatches, exact: exact,
              score: base * matched * (r.base + Math.min(r.proximityCap, proximity) + r.titleWord * Math.min(r.titleWordCap, inTitle)) * titleCovers });
          });
          // Verified phrases, then words exactly as typed with diacritics, then score, then page number.
          scored.sort(function (a, b) { return b.phrases - a.phrases || b.exact - a.exact || b.score - a.score || a.doc - b.doc; });
          var top = scored.slice(0, options.limit == null ? 10 : options.limit);
          var m = matcher(words, expanded, options.prefix !== false), a = meta.analysis;
          return Promise.all(top.map(function (item) {
            return self.fragment(meta, item.doc).then(function (f) {
              var positions = [];
              best.forEach(function (b, w) { var s = b.get(item.doc); if (s) s.positions.forEach(function (p) { positions.push([w, p]); }); });
              // The section with the most query words, by stored positions and by its heading and text.
              var section = null, bestCount = 0;
              f.s.forEach(function (sec, j) {
                var end = j + 1 < f.s.length ? f.s[j + 1][2] : Infinity, seen = [];
                positions.forEach(function (wp) { if (wp[1] >= sec[2] && wp[1] < end) seen[wp[0]] = true; });
                [sec[1]].concat(sec[3]).forEach(function (text) { findWords(text, m, a).seen.forEach(function (x, w) { if (x) seen[w] = true; }); });
                var n = seen.filter(Boolean).length;
                if (n > bestCount) { bestCount = n; section = j; }
              });
              var sec = section === null ? null : f.s[section];
              var excerpt = excerptOf(f, sec, m, a, meta.excerpt);
              return { url: meta.base + encodePath(f.u), title: f.t, anchor: sec && sec[0] ? sec[0] : null, heading: sec ? sec[1] : "",
                excerpt: excerpt, highlights: findWords(excerpt, m, a).ranges, kind: f.k === "g" ? "guide" : "article", context: f.m, score: item.score };
            });
          })).then(function (results) {
            // A word matched only through a correction: say what was searched (its most used correction).
            var corrected = false, shown = words.map(function (word, i) {
              var list = expanded[i], choice = null;
              if (!list.length || !list.every(function (x) { return x.spelling; })) return word.normal;
              list.forEach(function (x) {
                var n = pageCount(x.entry);
                if (!choice || x.weight > choice.weight || (x.weight === choice.weight && n > choice.pages)) choice = { weight: x.weight, pages: n, entry: x.entry };
              });
              corrected = true;
              return mostUsedForm(choice.entry);
            });
            return { results: results, correctedQuery: corrected && results.length ? shown.join(" ") : null };
          });
        });
    });
  };
  // Folded words of a text with their code point ranges, each word on its own (Persian affixes written
  // apart are not joined): what excerpts are chosen by and marked with.
  function tokens(s, a) {
    var out = [], m, at = 0, cp = 0;
    wordRe.lastIndex = 0;
    while ((m = wordRe.exec(s))) {
      cp += scalars(s.slice(at, m.index)).length;
      var n = scalars(m[0]).length, normal = normalizeWord(m[0].normalize("NFKC"), a);
      if (normal !== null) out.push({ folded: fold(normal, a), start: cp, end: cp + n });
      cp += n;
      at = m.index + m[0].length;
    }
    return out;
  }
  // What each query word matched in the index, to find it in text: single words, phrases (synonyms
  // with spaces) and, for the word being typed, the words it begins.
  function matcher(words, expanded, prefix) {
    return words.map(function (w, i) {
      var single = Object.create(null), phrases = [];
      expanded[i].forEach(function (x) {
        if (x.entry.folded.indexOf(" ") >= 0) phrases.push(x.entry.folded.split(" ")); else single[x.entry.folded] = true;
      });
      return { single: single, phrases: phrases, prefix: prefix && i === words.length - 1 && scalars(w.folded).length >= 2 ? w.folded : null };
    });
  }
  // The query words found in a text (SearchEngine.findWords): seen[w] per query word, how many words
  // matched, and their code point ranges in order. A word matches as one of its index words, two written
  // apart that the index has as one (`check list`), a synonym phrase's words in order, or a typed start.
  function findWords(s, m, a) {
    if (!m.length) return { seen: [], words: 0, count: 0, ranges: [] };
    var t = tokens(s, a), hit = [], seen = m.map(function () { return false; });
    m.forEach(function (q, w) {
      for (var k = 0; k < t.length; k++) {
        var f = t[k].folded;
        if (q.single[f] || (q.prefix !== null && f.startsWith(q.prefix))) { hit[k] = true; seen[w] = true; }
        // Two words written apart (`check list`), not a word and a letter (`product's`).
        if (k + 1 < t.length && t[k].end - t[k].start >= 2 && t[k + 1].end - t[k + 1].start >= 2 && q.single[f + t[k + 1].folded]) { hit[k] = hit[k + 1] = true; seen[w] = true; }
        q.phrases.forEach(function (p) {
          if (k + p.length > t.length || !p.every(function (x, j) { return t[k + j].folded === x; })) return;
          for (var j = 0; j < p.length; j++) hit[k + j] = true;
          seen[w] = true;
        });
      }
    });
    var ranges = [];
    t.forEach(function (x, k) { if (hit[k]) ranges.push([x.start, x.end]); });
    return { seen: seen, words: seen.filter(Boolean).length, count: ranges.length, ranges: ranges };
  }
  // A section's excerpt: the run of its passages, at most `limit` code points and never across a gap ("":
  // text the index left out), with the most query words, then the most matched words, the earliest on
  // ties (SearchEngine.bestWindow).
  function bestWindow(passages, m, a, limit) {
    var found = passages.map(function (p) { return findWords(p, m, a); }), lengths = passages.map(function (p) { return scalars(p).length; });
    var best = null;
    for (var i = 0; i < passages.length; i++) {
      if (!passages[i]) continue;
      var j = i + 1, length = lengths[i], seen = found[i].seen.slice(), count = found[i].count;
      for (; j < passages.length && passages[j] && length + lengths[j] <= limit; j++) {
        length += lengths[j];
        count += found[j].count;
        found[j].seen.forEach(function (x, w) { if (x) seen[w] = true; });
      }
      var n = seen.filter(Boolean).length;
      if (!best || n > best.words || (n === best.words && count > best.count)) best = { from: i, to: j, words: n, count: count };
    }
    return best;
  }
  function windowText(passages, w) {
    return (w.from > 0 ? "… " : "") + passages.slice(w.from, w.to).join("").replace(/[ ·]+$/u, "") + (w.to < passages.length ? " …" : "");
  }
  // The best window of the chosen section; when it holds no query word, the section's heading before it if
  // the heading does, else the summary if it does, else the summary and tags if they do; without a section,
  // the same from the summary, else the start of the page (SearchEngine.excerpt).
  function excerptOf(f, sec, m, a, limit) {
    if (sec) {
      var w = bestWindow(sec[3], m, a, limit);
      if (w && w.words) return windowText(sec[3], w);
      if (w && findWords(sec[1], m, a).words) return sec[1] + " · " + windowText(sec[3], w);
      if (f.d && findWords(f.d, m, a).words) return f.d;
      if (f.g && findWords(f.g, m, a).words) return f.d ? f.d + " · " + f.g : f.g;
      if (w) return windowText(sec[3], w);
    }
    if (f.g && !findWords(f.d, m, a).words && findWords(f.g, m, a).words) return f.d ? f.d + " · " + f.g : f.g;
    if (f.d) return f.d;
    var first = f.s[0] ? bestWindow(f.s[0][3], [], null, limit) : null;
    return first ? windowText(f.s[0][3], first) : "";
  }
  function editDistance(a, b) {
    if (!a.length || !b.length) return Math.max(a.length, b.length);
    var before = [], previous = [], current = [], i, j, t;
    for (j = 0; j <= b.length; j++) previous[j] = j;
    for (i = 1; i <= a.length; i++) {
      current[0] = i;
      for (j = 1; j <= b.length; j++) {
        current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j], before[j - 2] + 1);
      }
      t = before; before = previous; previous = current; current = t;
    }
    return previous[b.length];
  }
  function card(meta, f) {
    return { url: meta.base + encodePath(f.u), title: f.t, anchor: null, heading: "", excerpt: excerptOf(f, null, [], null, meta.excerpt), highlights: [],
      kind: f.k === "g" ? "guide" : "article", context: f.m, score: 0 };
  }
  /** When nothing matches: {didYouMean, featured} exactly as `waymark search` (SearchEngine.suggest); options are
      search's filters (and `literal`), and `landing`, whose featured pages to offer (else the segment's). */
  SearchIndex.prototype.suggest = function (query, options) {
    var self = this;
    options = options || {};
    return self.meta.then(function (meta) {
      var words = parse(query, meta.analysis).words, replaced = false;
      return Promise.all(words.map(function (word, i) {
        return Promise.all([self.expansions(meta, word, i === words.length - 1, options.prefix !== false, !options.literal),
          self.shard(meta, shardOf(word.folded, meta.shards.length))]).then(function (both) {
          var target = scalars(word.folded), choice = null, r = meta.ranking;
          if (!both[0].length && target.length >= r.correctionLength) {
            var limit = target.length >= r.twoEditLength ? 2 : 1;
            both[1].forEach(function (e) {
              var candidate = scalars(e.folded);
              if (candidate.length < 2 || candidate[0] !== target[0] || candidate[1] !== target[1] || Math.abs(candidate.length - target.length) > limit) return;
              var distance = editDistance(candidate, target), pages = pageCount(e);
              if (distance <= limit && (!choice || distance < choice.distance || (distance === choice.distance && pages > choice.pages))) choice = { distance: distance, pages: pages, entry: e };
            });
          }
          if (!choice) return word.normal;
          replaced = true;
          return mostUsedForm(choice.entry);
        });
      })).then(function (out) {
        // Only a spelling that finds something (with the same filters) is offered.
        var better = replaced ? out.join(" ") : null;
        return (better ? self.search(better, Object.assign({}, options, { limit: 1 })) : Promise.resolve([])).then(function (found) {
          if (!found.length) better = null;
          var docs = meta.featured[options.landing || options.segment || "home"] || meta.featured.home || [];
          return Promise.all(docs.slice(0, 3).map(function (d) { return self.fragment(meta, d).then(function (f) { return card(meta, f); }); }))
            .then(function (featured) { return { didYouMean: better, featured: featured }; });
        });
      });
    });
  };
  function encodePath(p) { return p.split("/").map(function (s) { return encodeURIComponent(s).replace(/[!'()*]/g, function (c) { return "%" + c.charCodeAt(0).toString(16).toUpperCase(); }); }).join("/"); }

  /** Text as DOM nodes, with the code point ranges of the query's words in <mark>. */
  function highlight(container, text, ranges) {
    var points = scalars(text), index = 0;
    ranges.forEach(function (r) {
      container.appendChild(doc.createTextNode(points.slice(index, r[0]).join("")));
      container.appendChild(el("mark", null, points.slice(r[0], r[1]).join("")));
      index = r[1];
    });
    container.appendChild(doc.createTextNode(points.slice(index).join("")));
  }

  var indexes = {};
  function indexFor(form) {
    var url = form.getAttribute("data-search-index");
    if (!indexes[url]) indexes[url] = new SearchIndex(url);
    return indexes[url];
  }
  // A small public API for products that embed the help center: Waymark.search("query", {limit, segment,
  // stage, kind, literal}) resolves to ranked results ({url, title, anchor, heading, excerpt, highlights:
  // code point ranges of the query's words in the excerpt, kind, context, score}); Waymark.respond the same
  // options to {results, correctedQuery} (the query as corrected, when a correction was searched);
  // Waymark.analyze("text") to the words the index would see ([{normal, folded}]), the same as Swift's;
  // Waymark.suggest("query", {segment}) to what the search page offers when nothing matches
  // ({didYouMean, featured: [results]}), the same as `waymark search --json --suggest`.
  var defaultForm = doc.querySelector("form.search-form[data-search-index]");
  var api = window.Waymark = {};
  if (defaultForm) {
    api.search = function (query, options) { return indexFor(defaultForm).search(query, options); };
    api.respond = function (query, options) { return indexFor(defaultForm).respond(query, options); };
    api.suggest = function (query, options) { return indexFor(defaultForm).suggest(query, options); };
    api.analyze = function (text) { return indexFor(defaultForm).meta.then(function (meta) { return analyze(text, meta.analysis); }); };
  }
  function resultHref(r) { return r.url + (r.anchor ? "#" + encodeURIComponent(r.anchor) : ""); }

  // Header box: a combobox with instant results (arrow keys, Enter, Escape; "/" focuses it).
  doc.querySelectorAll("form.search-form[data-search-index]").forEach(function (form, n) {
    var input = form.querySelector("input[type=search]");
    var list = el("ul", { id: "search-popup-" + n, role: "listbox", "class": "search-popup", "aria-label": t("search") });
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var active = -1, timer = null, generation = 0, analysis = null;
    function options() { return list.querySelectorAll("[role=option]"); }
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; }
    function select(i) {
      var opts = options();
      if (!opts.length) return;
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, j) { o.setAttribute("aria-selected", j === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }
    function run() {
      var q = input.value.trim(), mine = ++generation;
      if (!q) { close(); list.textContent = ""; return; }
      var index = indexFor(form);
      index.meta.then(function (meta) { analysis = meta.analysis; });
      index.search(q, { limit: 6 }).then(function (results) {
        if (mine !== generation) return;
        list.textContent = "";
        results.forEach(function (r, i) {
          var li = el("li", { id: list.id + "-" + i, role: "option", "aria-selected": "false", "data-result-url": r.url });
          var a = el("a", { href: resultHref(r), tabindex: "-1" });
          a.appendChild(el("span", { "class": "result-title" }, r.title));
          var ex = el("span", { "class": "result-excerpt" });
          ex.textContent = r.context;
          a.appendChild(ex);
          li.appendChild(a);
          list.appendChild(li);
        });
        var more = el("li", { id: list.id + "-more", role: "option", "aria-selected": "false", "class": "search-popup-more" });
        more.appendChild(el("a", { href: form.getAttribute("data-search-page") + "?q=" + encodeURIComponent(q), tabindex: "-1" },
          results.length ? t("searchSeeAll") : t("searchNoResults")));
        list.appendChild(more);
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        active = -1;
        searched(q, results.length, {});
      }).catch(function () { close(); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 60); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden) run(); else select(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); select(active - 1); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); openOption(options()[active]); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    list.addEventListener("mousedown", function (e) { e.preventDefault(); });
    list.addEventListener("click", function (e) { var li = e.target.closest("[role=option]"); if (li) { e.preventDefault(); openOption(li); } });
    function openOption(option) {
      var a = option.querySelector("a");
      if (!a) return;
      var results = Array.prototype.filter.call(options(), function (o) { return o.hasAttribute("data-result-url"); });
      if (option.hasAttribute("data-result-url")) resultOpened(input.value.trim(), results.indexOf(option) + 1, a.getAttribute("href"));
      window.location.href = a.href;
    }
  });
  doc.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var tag = (doc.activeElement && doc.activeElement.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (doc.activeElement && doc.activeElement.isContentEditable)) return;
    var box = doc.querySelector(".search-page-form input[type=search]") || doc.querySelector(".hero-search input[type=search]") ||
      doc.querySelector(".search-form input[type=search]");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });

  // Full search page: ?q=…&segment=…&stage=…&kind=… (&literal=1: the words as typed, without corrections)
  var page = doc.querySelector("[data-search-page-root]");
  if (page) {
    var headerForm = doc.querySelector("form.search-form[data-search-index]");
    var pageForm = page.querySelector("form[data-search-full]");
    var status = page.querySelector("[data-search-status]");
    var out = page.querySelector("[data-search-results]");
    var params = new URLSearchParams(window.location.search);
    ["q", "segment", "stage", "kind"].forEach(function (k) {
      var field = pageForm.elements[k];
      if (field && params.get(k)) field.value = params.get(k);
    });
    var pageGeneration = 0, literal = params.get("literal") === "1";
    function searchURL(q, opts, asTyped) {
      var next = new URLSearchParams();
      next.set("q", q);
      ["segment", "stage", "kind"].forEach(function (k) { if (opts[k]) next.set(k, opts[k]); });
      if (asTyped) next.set("literal", "1");
      return "?" + next.toString();
    }
    function runPage(push) {
      var q = pageForm.elements.q.value.trim(), mine = ++pageGeneration;
      var opts = { limit: 20, segment: pageForm.elements.segment.value || null, stage: pageForm.elements.stage.value || null, kind: pageForm.elements.kind.value || null,
        literal: literal };
      if (push) window.history.replaceState(null, "", searchURL(q, opts, literal));
      out.textContent = "";
      page.querySelectorAll("[data-search-suggestions], [data-search-correction]").forEach(function (b) { b.remove(); });
      if (!q) { status.textContent = ""; return; }
      status.textContent = t("searchLoading");
      var index = indexFor(headerForm);
      index.respond(q, opts).then(function (response) {
        if (mine !== pageGeneration) return;
        var results = response.results;
        status.textContent = results.length === 0 ? t("searchNoResults") : results.length === 1 ? t("searchOneResult") : t("searchResults", { n: num(results.length) });
        if (response.correctedQuery) showCorrection(q, response.correctedQuery, opts);
        if (!results.length) showSuggestions(index, q, Object.assign({ landing: opts.segment || store.get("segment") }, opts), mine);
        results.forEach(function (r) {
          var li = el("li", { "data-result-url": r.url });
          var title = el("a", { "class": "result-title", href: resultHref(r) }, r.title);
          li.appendChild(title);
          li.appendChild(el("p", { "class": "result-meta" }, r.context + (r.heading ? " › " + r.heading : "")));
          var p = el("p", { "class": "result-excerpt" });
          highlight(p, r.excerpt, r.highlights);
          li.appendChild(p);
          out.appendChild(li);
        });
        var filters = {};
        ["segment", "stage", "kind"].forEach(function (k) { if (opts[k]) filters[k] = opts[k]; });
        searched(q, results.length, filters);
      }).catch(function () { status.textContent = t("searchNoResults"); });
    }
    out.addEventListener("click", function (e) {
      var a = e.target.closest("a.result-title");
      if (!a) return;
      var items = Array.prototype.slice.call(out.children);
      resultOpened(pageForm.elements.q.value.trim(), items.indexOf(a.closest("li")) + 1, a.getAttribute("href"));
    });
    // A misspelled word was searched as corrected: say so, with a link to the words as typed.
    function showCorrection(q, corrected, opts) {
      var box = el("p", { "class": "search-correction", "data-search-correction": "" });
      var parts = t("searchShowingResultsFor").split("{query}");
      box.appendChild(doc.createTextNode(parts[0]));
      box.appendChild(el("em", { "data-corrected-query": "", dir: "auto" }, corrected));
      box.appendChild(doc.createTextNode(parts.slice(1).join("{query}") + " "));
      box.appendChild(el("a", { href: searchURL(q, opts, true), "data-search-original": "", dir: "auto" }, t("searchInsteadFor", { query: q })));
      out.parentNode.insertBefore(box, out);
    }
    // Nothing found: another spelling from the index's words, and the reader's segment's featured pages.
    function showSuggestions(index, q, opts, mine) {
      index.suggest(q, opts).then(function (s) {
        if (mine !== pageGeneration) return;
        var box = el("div", { "class": "search-suggestions", "data-search-suggestions": "" });
        if (s.didYouMean) {
          var p = el("p", null, t("searchDidYouMean") + " ");
          p.appendChild(el("a", { href: "?q=" + encodeURIComponent(s.didYouMean), "data-did-you-mean": "" }, s.didYouMean));
          box.appendChild(p);
        }
        if (s.featured.length) {
          box.appendChild(el("p", null, t("searchFeatured")));
          var ul = el("ul");
          s.featured.forEach(function (r) { var li = el("li", { "data-featured-url": r.url }); li.appendChild(el("a", { href: r.url }, r.title)); ul.appendChild(li); });
          box.appendChild(ul);
        }
        out.parentNode.insertBefore(box, out.nextSibling);
      });
    }
    pageForm.addEventListener("submit", function (e) { e.preventDefault(); runPage(true); });
    pageForm.querySelectorAll("select").forEach(function (s) { s.addEventListener("change", function () { runPage(true); }); });
    var pageTimer = null;
    // Typing a new query ends "the words as typed" (a link to the original query starts it).
    pageForm.elements.q.addEventListener("input", function () { literal = false; clearTimeout(pageTimer); pageTimer = setTimeout(function () { runPage(true); }, 120); });
    runPage(false);
  }

  // ---- "Was this helpful?": remembered locally; sent to site.yml's feedback.endpoint when there is one ----
  doc.querySelectorAll("[data-feedback]").forEach(function (box) {
    var page = box.getAttribute("data-page"), endpoint = box.getAttribute("data-endpoint");
    var thanks = box.querySelector(".feedback-thanks"), buttons = box.querySelector(".feedback-buttons");
    function done() { buttons.hidden = true; thanks.hidden = false; }
    box.hidden = false;
    if (store.get("feedback:" + page)) done();
    box.querySelectorAll("[data-helpful]").forEach(function (button) {
      button.addEventListener("click", function () {
        var helpful = button.getAttribute("data-helpful") === "yes";
        store.set("feedback:" + page, helpful ? "yes" : "no");
        done();
        emit("feedback_given", { helpful: helpful });
        if (!endpoint) return;
        postText(endpoint, JSON.stringify({ page: page, language: root.lang, title: doc.title, helpful: helpful }));
      });
    });
  });

  // For the route script (route.js, on route and step pages only), not an interface: code embedding the
  // site listens to the "waymark:*" events instead.
  api.shared = { store: store, emit: emit, ui: ui, t: t, num: num, minutes: minutes, el: el, jsonFrom: jsonFrom, base: base };
})();
