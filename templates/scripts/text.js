  // ---- interface text in one language (shared: waymark.js and embed.js include this file) ----
  // `strings` are the interface strings a page or a route.json carries, with the language's `digits`;
  // strings added to it later are used too.
  // t("key", {n: 1}) fills {n}; num(n) writes a number in the language's digits; minutes(n) a duration.
  function textFor(strings) {
    strings = strings || {};
    function t(key, args) {
      var s = typeof strings[key] === "string" ? strings[key] : key;
      if (args) Object.keys(args).forEach(function (k) { s = s.split("{" + k + "}").join(String(args[k])); });
      return s;
    }
    // Read when used: the search page's strings (digits too) arrive later, with the index.
    function num(n) {
      var s = String(n), digits = strings.digits;
      return typeof digits === "string" && digits.length === 10 ? s.replace(/[0-9]/g, function (d) { return digits.charAt(+d); }) : s;
    }
    function minutes(n) {
      if (n < 60) return t("minutes", { n: num(n) });
      if (n % 60 === 0) return t("hours", { h: num(n / 60) });
      return t("hoursMinutes", { h: num(Math.floor(n / 60)), m: num(n % 60) });
    }
    return { t: t, num: num, minutes: minutes };
  }
  // An element whose text is set as text, never parsed as markup.
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }
