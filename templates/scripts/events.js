  // ---- events (schema v1 in docs/analytics.md) and the optional beacon (shared: waymark.js and
  // embed.js include this file). With an analytics endpoint, events are sent in batches as JSON lines:
  // at 20 events, 5 seconds after the first queued one, and when the page is hidden or left (the caller
  // calls flush). Never when the browser asks not to be tracked (Do Not Track, Global Privacy Control)
  // or the reader turned it off ("analytics" = "off" in `store`); no cookies, no personal data, an
  // anonymous id the reader can renew.

  // localStorage under "waymark:<namespace>:<key>" (the site's base path on the site, the site's address
  // in a product's page), so two sites on one origin never mix progress; private modes just forget.
  function storeFor(namespace) {
    var store = {
      key: function (k) { return "waymark:" + namespace + ":" + k; },
      get: function (k) { try { return window.localStorage.getItem(store.key(k)); } catch (e) { return null; } },
      set: function (k, v) { try { window.localStorage.setItem(store.key(k), v); } catch (e) { /* private mode */ } },
      remove: function (k) { try { window.localStorage.removeItem(store.key(k)); } catch (e) { /* ignore */ } }
    };
    return store;
  }

  // A POST that never gets in the reader's way: a text/plain body keeps a request to another origin
  // "simple" (no preflight), no credentials go with it, it outlives the page, and failures are ignored.
  function postText(url, body) {
    try {
      fetch(url, { method: "POST", body: body, headers: { "Content-Type": "text/plain;charset=UTF-8" }, keepalive: true, mode: "cors", credentials: "omit" })
        .catch(function () { /* nothing to do */ });
    } catch (e) { /* old browsers */ }
  }
  function beacon(endpoint, store) {
    var refused = navigator.doNotTrack === "1" || window.doNotTrack === "1" || navigator.globalPrivacyControl === true;
    function newReaderId() {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
    }
    function readerId() {
      var id = store.get("reader");
      if (!id) { id = newReaderId(); store.set("reader", id); }
      return id;
    }
    function sending() { return !!endpoint && !refused && store.get("analytics") !== "off"; }
    var queue = [], flushTimer = null;
    function flush() {
      clearTimeout(flushTimer);
      flushTimer = null;
      if (!queue.length) return;
      var body = queue.map(function (e) { return JSON.stringify(e); }).join("\n") + "\n";
      queue = [];
      var blob = new Blob([body], { type: "text/plain;charset=UTF-8" });
      if (!(navigator.sendBeacon && navigator.sendBeacon(endpoint, blob))) postText(endpoint, body);
    }
    return {
      refused: refused,
      sending: sending,
      flush: flush,
      drop: function () { queue = []; },
      renew: function () { store.set("reader", newReaderId()); },
      // The event `name` with the common fields (`common` adds lang, page and for the widget source),
      // then `fields`; queued for the endpoint when sending.
      event: function (name, common, fields) {
        var event = { v: 1, event: name, time: new Date().toISOString(), reader: readerId() };
        [common, fields || {}].forEach(function (f) { Object.keys(f).forEach(function (k) { if (f[k] != null) event[k] = f[k]; }); });
        if (sending()) {
          queue.push(event);
          if (queue.length >= 20) flush(); else if (!flushTimer) flushTimer = setTimeout(flush, 5000);
        }
        return event;
      }
    };
  }
