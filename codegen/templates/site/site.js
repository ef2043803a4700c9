// The reference's language switch (remembered in localStorage) and the search box over the index
// in search-index.js. Loaded in <head> without defer so the chosen language applies before the
// first paint; everything else waits for the DOM.
(function () {
  "use strict";
  var KEY = "popgen-lang";
  var root = document.documentElement;
  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function apply(lang) {
    if (lang === "zh") { root.setAttribute("data-lang", "zh"); } else { root.removeAttribute("data-lang"); }
    var b = document.getElementById("lang-toggle");
    if (b) {
      b.setAttribute("aria-pressed", lang === "zh" ? "true" : "false");
      b.textContent = lang === "zh" ? "English" : "中文";
      b.setAttribute("lang", lang === "zh" ? "en" : "zh");
    }
  }
  apply(stored());

  function initLang() {
    apply(stored());
    var b = document.getElementById("lang-toggle");
    if (!b) { return; }
    b.addEventListener("click", function () {
      var next = root.getAttribute("data-lang") === "zh" ? "en" : "zh";
      try { window.localStorage.setItem(KEY, next); } catch (e) { /* private mode: this page only */ }
      apply(next);
    });
  }

  function score(entry, q) {
    var n = entry.n.toLowerCase();
    var base = entry.k === "action" ? 0 : entry.k === "param" ? 10 : 5;
    if (n === q) { return base; }
    if (n.indexOf(q) === 0) { return base + 1; }
    if (n.indexOf(q) > 0) { return base + 2; }
    if (entry.s.toLowerCase().indexOf(q) >= 0) { return base + 20; }
    return -1;
  }

  function initSearch() {
    var input = document.getElementById("search");
    var list = document.getElementById("search-results");
    if (!input || !list) { return; }
    var base = document.body.getAttribute("data-root") || "";
    var active = -1;
    function items() { return list.querySelectorAll("li[role=option]"); }
    function close() {
      list.hidden = true; input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant"); active = -1;
    }
    function select(i) {
      var all = items();
      if (!all.length) { return; }
      active = (i + all.length) % all.length;
      for (var j = 0; j < all.length; j++) { all[j].setAttribute("aria-selected", j === active ? "true" : "false"); }
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }
    function render() {
      var q = input.value.trim().toLowerCase();
      list.textContent = "";
      active = -1;
      if (!q) { close(); return; }
      var index = window.POPGEN_SEARCH || [];
      var hits = [];
      for (var i = 0; i < index.length; i++) {
        var s = score(index[i], q);
        if (s >= 0) { hits.push([s, i]); }
      }
      hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      hits = hits.slice(0, 15);
      if (!hits.length) {
        var none = document.createElement("li");
        none.className = "empty"; none.textContent = "No match";
        list.appendChild(none);
      }
      hits.forEach(function (h, k) {
        var e = index[h[1]];
        var li = document.createElement("li");
        li.id = "search-result-" + k; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
        var a = document.createElement("a");
        a.href = base + e.u;
        var name = document.createElement("code"); name.textContent = e.n;
        var kind = document.createElement("span"); kind.className = "kind"; kind.textContent = e.k;
        var small = document.createElement("small"); small.textContent = e.s;
        a.appendChild(name); a.appendChild(kind); a.appendChild(small);
        a.addEventListener("keydown", function (ev) {
          if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
            ev.preventDefault(); input.focus(); select(k + (ev.key === "ArrowDown" ? 1 : -1));
          } else if (ev.key === "Escape") { close(); input.focus(); }
        });
        li.appendChild(a); list.appendChild(li);
      });
      list.hidden = false; input.setAttribute("aria-expanded", "true");
    }
    input.addEventListener("input", render);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { ev.preventDefault(); if (list.hidden) { render(); } select(active + 1); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); select(active - 1); }
      else if (ev.key === "Enter") {
        var all = items();
        var target = all[active >= 0 ? active : 0];
        if (target) { ev.preventDefault(); window.location.href = target.querySelector("a").href; }
      } else if (ev.key === "Escape") { close(); }
    });
    document.addEventListener("keydown", function (ev) {
      var tag = (ev.target && ev.target.tagName) || "";
      if (ev.key === "/" && tag !== "INPUT" && tag !== "TEXTAREA") { ev.preventDefault(); input.focus(); }
    });
    document.addEventListener("click", function (ev) {
      if (!list.contains(ev.target) && ev.target !== input) { close(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { initLang(); initSearch(); });
})();
