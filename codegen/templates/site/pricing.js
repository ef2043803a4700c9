// The Pricing page's estimator: the price book in the page (<script id="price-book">, written
// from the spec) and the same arithmetic as `popgen_runtime::pricing::estimate` (what the
// command line's `cost estimate` runs): metering and rounding, free quota → prepaid packages →
// post-paid, graduated or whole-volume tiers, the cheapest mix of packages by the same exact
// search. No network. Amounts are whole micro-units (1e-6) in Numbers, exact up to 9e9; the
// command line's decimals are the reference.
(function (root) {
  "use strict";
  var MICRO = 1000000;
  var MAX_STEPS = 1000000;

  // A non-negative decimal string → whole micro-units, or null (more than 6 decimals, signs,
  // exponents).
  function micro(text) {
    var s = String(text == null ? "" : text).trim();
    var m = /^(\d*)(?:\.(\d*))?$/.exec(s);
    if (!m || (m[1] === "" && (m[2] === undefined || m[2] === ""))) { return null; }
    var frac = (m[2] || "").replace(/0+$/, "");
    if (frac.length > 6) { return null; }
    var whole = m[1] === "" ? 0 : Number(m[1]);
    var value = whole * MICRO + Number((frac + "000000").slice(0, 6));
    return Number.isSafeInteger(value) ? value : null;
  }

  function group(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  // Micro-units → a decimal with at least 2 decimals (`23,100.00`, `0.0005`).
  function money(m) {
    var neg = m < 0;
    var a = Math.abs(m);
    var whole = Math.floor(a / MICRO);
    var frac = String(a % MICRO + MICRO).slice(1).replace(/0+$/, "");
    while (frac.length < 2) { frac += "0"; }
    return (neg ? "-" : "") + group(String(whole)) + "." + frac;
  }

  function plain(m) { // micro-units → the shortest decimal (`0.11`, `500000`)
    var whole = Math.floor(m / MICRO);
    var frac = String(m % MICRO + MICRO).slice(1).replace(/0+$/, "");
    return group(String(whole)) + (frac ? "." + frac : "");
  }

  function find(list, id) {
    for (var i = 0; i < list.length; i++) { if (list[i].id === id) { return list[i]; } }
    return null;
  }

  function ids(list) { return list.map(function (x) { return x.id; }).join(", "); }

  var SIZE = { "minute": 1, "call": 1, "hour": 3600, "thousand-calls": 1000 };
  var BASE = { "minute": "minutes", "call": "calls", "hour": "seconds", "thousand-calls": "calls" };
  var NAME = { "minute": "minute", "call": "call", "hour": "hour", "thousand-calls": "thousand calls" };

  function meterSeconds(metering, s) {
    if (metering === "started-minute") { return Math.ceil(s / 60); }
    if (metering === "second") { return s; }
    return s > 0 ? 1 : 0;
  }

  // round(num / den) half up, both whole and non-negative.
  function div(num, den) { return Math.floor((2 * num + den) / (2 * den)); }

  function gcd(a, b) { return b === 0 ? a : gcd(b, a % b); }

  function estimate(book, input) {
    var b = find(book.businesses, input.business);
    if (!b) { return { error: "no business `" + input.business + "`; known: " + ids(book.businesses) }; }
    var mode = find(b.modes, input.mode);
    if (!mode) { return { error: "business `" + b.id + "` has no mode `" + input.mode + "`; its modes: " + ids(b.modes) }; }
    var pp = mode.post_paid;
    if (!pp) { return { error: "mode `" + mode.id + "` of `" + b.id + "` has no post-paid price in the price list" }; }
    var calls = Number(input.calls);
    if (!Number.isSafeInteger(calls) || calls < 0 || calls > 1e9) { return { error: "calls must be a whole number from 0 to 1,000,000,000" }; }
    var rate = micro(input.rate);
    if (rate === null || rate > MICRO) { return { error: "the answer rate must be between 0 and 1" }; }
    var secs = micro(input.seconds === "" || input.seconds == null ? "0" : input.seconds);
    if (secs === null) { return { error: "the average talk time must be a number of seconds, 0 or more" }; }
    var month = micro(input.monthVolume === "" || input.monthVolume == null ? "0" : input.monthVolume);
    if (month === null) { return { error: "the volume already billed must be 0 or more" }; }
    var numbers = Number(input.numbers || 0);
    if (!Number.isSafeInteger(numbers) || numbers < 0) { return { error: "numbers rented must be a whole number" }; }
    var size = SIZE[b.unit];
    var unit = NAME[b.unit];
    var decimals = b.cost_decimals;
    var flat = null;
    if (pp.destinations.length) {
      var code = String(input.destination || "").toUpperCase();
      var dest = null;
      pp.destinations.forEach(function (d) { if (d.code.toUpperCase() === code) { dest = d; } });
      if (!dest) { return { error: "`" + b.id + "` is priced per destination: choose one of " + pp.destinations.map(function (d) { return d.code; }).join(", ") }; }
      flat = { price: micro(dest.price), name: dest.name + " (" + dest.code + ")" };
    }
    var chosen = input.addOns || [];
    var addOns = b.add_ons.filter(function (a) { return !a.optional || chosen.indexOf(a.id) >= 0; });

    // What an amount in the business's unit is in base units, rounded up.
    function base(m) { return Math.floor((m * size + MICRO - 1) / MICRO); }
    function words(n) {
      var name = BASE[b.unit];
      var text = group(String(n)) + " " + (n === 1 ? name.replace(/s$/, "") : name);
      if (size > 1) { text += " (" + plain(div(n * MICRO, size)) + " × " + unit + ")"; }
      return text;
    }
    // A bill of `num` micro-units × base units, divided by the unit's size and rounded as the
    // list says (else to the micro-unit).
    function roundBill(num) {
      var step = decimals == null ? 1 : Math.pow(10, Math.max(0, 6 - decimals));
      return div(num, size * step) * step;
    }
    var tiers = pp.tiers.map(function (t) { return { from: micro(t.from) * size / MICRO, price: micro(t.price) }; });
    function end(i) { return i + 1 < tiers.length ? tiers[i + 1].from : null; }
    function tierOf(v) {
      for (var i = 0; i < tiers.length; i++) {
        var e = end(i);
        if (e === null) { return i; }
        if (pp.bounds === "upper-inclusive" ? v <= e : v < e) { return i; }
      }
      return null;
    }
    function bill(volume, tierAt) {
      var num = 0;
      if (pp.tiering === "graduated") {
        for (var i = 0; i < tiers.length; i++) {
          if (volume <= tiers[i].from) { break; }
          var e = end(i);
          var top = e === null ? volume : Math.min(e, volume);
          num += (top - tiers[i].from) * tiers[i].price;
        }
      } else {
        var t = tierOf(tierAt);
        num = t === null ? 0 : volume * tiers[t].price;
      }
      return roundBill(num);
    }

    // Metering: every answered call lasts the average.
    var answered = Math.floor((calls * rate + MICRO / 2) / MICRO);
    var whole = Math.floor((secs + MICRO - 1) / MICRO);
    var perLeg = answered === 0 ? 0 : meterSeconds(b.metering, Math.max(whole, 1));
    var units = answered * perLeg * b.legs;
    var addOnUnits = answered * perLeg;
    var quota = input.freeLeft != null && input.freeLeft !== "" ? micro(input.freeLeft) : (mode.free ? micro(mode.free.amount) : 0);
    var free = Math.min(base(quota || 0), units);
    var rest = units - free;
    var before = base(month);
    var metering = [
      ["answered", group(String(calls)) + " calls × " + plain(rate) + " answer rate: answered = " + group(String(answered))],
      ["billed", (b.metering === "started-minute" || b.metering === "second"
        ? "each answered call talks " + plain(secs) + " s = " + words(perLeg) + (b.legs > 1 ? " × " + b.legs + " legs" : "") + " → "
        : "one unit per " + (b.metering === "connected-call" ? "connected call" : "successful request") + " → ") + words(units)]
    ];

    function postPaid(q) {
      if (flat) { return [roundBill(q * flat.price), null]; }
      var tierAt = pp.tier_volume === "post-paid" ? before + q : before + units;
      var after = bill(before + q, tierAt);
      var earlier = bill(before, Math.max(tierAt - q, 0));
      return [after - earlier, tierOf(tierAt)];
    }

    function postPaidWords(q, t) {
      if (flat) { return words(q) + " to " + flat.name + " at " + plain(flat.price) + " per " + unit; }
      if (t === null) { return words(q) + ": no tier applies"; }
      var r = decimals == null ? "" : "; the bill is rounded to " + decimals + " decimals";
      if (tiers.length === 1) { return words(q) + " at " + plain(tiers[t].price) + " per " + unit + r; }
      var tier = pp.tiers[t];
      var range = tier.to == null ? "over " + plain(micro(tier.from)) : plain(micro(tier.from)) + "–" + plain(micro(tier.to));
      return words(q) + ", tier " + (t + 1) + " (" + range + ") at " + plain(tiers[t].price) + " per " + unit + "; " +
        (pp.tiering === "graduated" ? "graduated: each slice at its tier's price" : "the whole period's volume at the tier reached") + r;
    }

    var packages = mode.packages.map(function (p) { return { size: micro(p.size), price: micro(p.price), base: base(micro(p.size)) }; });

    function plan(counts, covered) {
      var lines = [];
      if (free > 0) { lines.push(["free quota", words(free) + " free first", null]); }
      var bought = 0, boughtCost = 0, list = [];
      packages.forEach(function (p, i) {
        if (!counts[i]) { return; }
        var cost = p.price * counts[i];
        lines.push(["package", counts[i] + " × " + plain(p.size) + "-" + unit + " package at " + plain(p.price) + " = " + plain(cost) + ", valid " + mode.package_months + " months", cost]);
        list.push({ size: p.size, price: p.price, count: counts[i] });
        bought += p.base * counts[i];
        boughtCost += cost;
      });
      var used = Math.min(covered, rest);
      var q = rest - used;
      var pc = postPaid(q);
      lines.push(["post-paid", postPaidWords(q, pc[1]), pc[0]]);
      var extras = 0;
      addOns.forEach(function (a) {
        var cost = roundBill(addOnUnits * micro(a.price));
        lines.push(["add-on", a.title + ": " + words(addOnUnits) + " at " + a.price + " per " + unit, cost]);
        extras += cost;
      });
      if (numbers > 0) {
        mode.fees.forEach(function (id) {
          var fee = find(book.fees, id);
          if (!fee) { return; }
          var cost = micro(fee.price) * numbers;
          lines.push(["fee", fee.title + ": " + numbers + " number" + (numbers === 1 ? "" : "s") + " × " + fee.price + " for the month", cost]);
          extras += cost;
        });
      }
      return { packages: list, covered: used, leftOver: bought - used, postPaidUnits: q, postPaid: pc[0], tier: pc[1], total: boughtCost + pc[0] + extras, lines: lines };
    }

    // The cheapest packages: the same exact search as the runtime's (plan.rs).
    function cheapest(volume) {
      var usable = [], leftOut = [];
      packages.forEach(function (p, i) { if (p.base > 0) { usable.push(i); } });
      function grid() { return usable.reduce(function (g, i) { return gcd(g, packages[i].base); }, 0); }
      function largest() { return usable.reduce(function (l, i) { return Math.max(l, packages[i].base); }, 0); }
      while (usable.length && Math.floor((volume + largest()) / Math.max(grid(), 1)) > MAX_STEPS) {
        var smallest = usable[0];
        usable.forEach(function (i) { if (packages[i].base < packages[smallest].base) { smallest = i; } });
        usable = usable.filter(function (i) { return i !== smallest; });
        leftOut.push(smallest);
      }
      var best = { counts: packages.map(function () { return 0; }), covered: 0, cost: postPaid(volume)[0], leftOut: leftOut };
      if (volume === 0 || !usable.length) { return best; }
      var step = grid();
      var len = Math.floor((volume + largest() - 1) / step) + 1;
      var cost = new Float64Array(len).fill(-1);
      var last = new Int32Array(len);
      cost[0] = 0;
      for (var k = 1; k < len; k++) {
        for (var j = 0; j < usable.length; j++) {
          var i = usable[j];
          var n = packages[i].base / step;
          if (n > k || cost[k - n] < 0) { continue; }
          var c = cost[k - n] + packages[i].price;
          if (cost[k] < 0 || c < cost[k]) { cost[k] = c; last[k] = i; }
        }
      }
      var bestK = 0;
      for (var kk = 1; kk < len; kk++) {
        if (cost[kk] < 0) { continue; }
        var covered = kk * step;
        var total = cost[kk] + postPaid(Math.max(volume - covered, 0))[0];
        if (total < best.cost) { best.cost = total; best.covered = covered; bestK = kk; }
      }
      var at = bestK;
      while (at > 0) { best.counts[last[at]] += 1; at -= packages[last[at]].base / step; }
      return best;
    }

    var postPaidOnly = plan(packages.map(function () { return 0; }), 0);
    var chosenPlan = cheapest(rest);
    var cheapestPlan = plan(chosenPlan.counts, chosenPlan.covered);
    var notes = [];
    if (units > 0) { notes.push("every answered call is taken to last the average; real calls round up one by one"); }
    if (mode.fees.length && numbers === 0) { notes.push("number rental is not included: give the numbers rented to add it"); }
    if (mode.minimum_spend) { notes.push("a minimum spend of " + mode.minimum_spend[0] + "–" + mode.minimum_spend[1] + " per month applies, set by the console package; not included"); }
    b.add_ons.forEach(function (a) { if (a.optional && chosen.indexOf(a.id) < 0) { notes.push("optional add-on not included: " + a.title + " (" + a.price + " per " + unit + ")"); } });
    chosenPlan.leftOut.forEach(function (i) { notes.push("the " + plain(packages[i].size) + " " + unit + " package was left out of the search at this volume"); });
    notes.push("prices of " + book.title + " as of " + book.date + "; they change");
    return {
      business: b.id, mode: mode.id, currency: book.currency, unit: b.unit,
      calls: calls, answered: answered, billed: units, free: free, metering: metering,
      postPaidOnly: postPaidOnly, cheapest: cheapestPlan, saving: postPaidOnly.total - cheapestPlan.total, notes: notes
    };
  }

  // The form.
  function init() {
    var data = document.getElementById("price-book");
    var form = document.getElementById("estimator-form");
    var out = document.getElementById("estimate");
    if (!data || !form || !out) { return; }
    var book = JSON.parse(data.textContent);
    var el = function (id) { return document.getElementById(id); };
    var business = el("est-business"), mode = el("est-mode"), dest = el("est-destination");
    function option(select, value, text) {
      var o = document.createElement("option");
      o.value = value; o.textContent = text; select.appendChild(o);
    }
    book.businesses.forEach(function (b) {
      if (b.modes.some(function (m) { return m.post_paid; })) { option(business, b.id, b.title); }
    });
    business.value = form.getAttribute("data-business") || business.value;
    function fillModes() {
      var b = find(book.businesses, business.value);
      mode.textContent = ""; dest.textContent = "";
      b.modes.forEach(function (m) { if (m.post_paid) { option(mode, m.id, m.title); } });
      var first = b.modes.filter(function (m) { return m.post_paid; })[0];
      var wanted = form.getAttribute("data-mode");
      if (wanted && find(b.modes, wanted) && find(b.modes, wanted).post_paid) { mode.value = wanted; } else if (first) { mode.value = first.id; }
      var addOns = el("est-addons");
      addOns.querySelectorAll("label").forEach(function (l) { l.remove(); });
      var optional = b.add_ons.filter(function (a) { return a.optional; });
      addOns.hidden = !optional.length;
      optional.forEach(function (a) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox"; box.value = a.id; box.name = "add-on";
        label.appendChild(box); label.appendChild(document.createTextNode(" " + a.title + " (" + a.price + " per " + NAME[b.unit] + ")"));
        addOns.appendChild(label);
      });
      fillDestinations();
    }
    function fillDestinations() {
      var b = find(book.businesses, business.value);
      var m = find(b.modes, mode.value);
      dest.textContent = "";
      var list = m && m.post_paid ? m.post_paid.destinations : [];
      list.forEach(function (d) { option(dest, d.code, d.name + " (" + d.code + ", +" + d.dialing_code + ")"); });
      el("est-destination-field").hidden = !list.length;
      var timed = b.metering === "started-minute" || b.metering === "second";
      el("est-seconds-field").hidden = !timed;
    }
    function cell(tr, text, cls) {
      var td = document.createElement("td");
      td.textContent = text;
      if (cls) { td.className = cls; }
      tr.appendChild(td);
    }
    function table(title, lines) {
      var h = document.createElement("h3"); h.textContent = title; out.appendChild(h);
      var t = document.createElement("table"); t.className = "plan";
      var body = document.createElement("tbody");
      lines.forEach(function (l) {
        var tr = document.createElement("tr");
        cell(tr, l[0]); cell(tr, l[2] == null ? "" : money(l[2]), "num"); cell(tr, l[1]);
        body.appendChild(tr);
      });
      t.appendChild(body);
      var wrap = document.createElement("div"); wrap.className = "table-wrap"; wrap.appendChild(t);
      out.appendChild(wrap);
    }
    function render() {
      var addOns = [];
      form.querySelectorAll("input[name=add-on]:checked").forEach(function (b) { addOns.push(b.value); });
      var e = estimate(book, {
        business: business.value, mode: mode.value, destination: dest.value,
        calls: el("est-calls").value, rate: el("est-rate").value, seconds: el("est-seconds").value,
        monthVolume: el("est-month").value, numbers: el("est-numbers").value, addOns: addOns
      });
      out.textContent = "";
      if (e.error) {
        var p = document.createElement("p"); p.className = "error"; p.setAttribute("role", "alert");
        p.textContent = e.error; out.appendChild(p); return;
      }
      var b = find(book.businesses, e.business);
      var dl = document.createElement("dl"); dl.className = "facts";
      function fact(k, v, id) {
        var dt = document.createElement("dt"); dt.textContent = k;
        var dd = document.createElement("dd"); dd.textContent = v; dd.id = id;
        dl.appendChild(dt); dl.appendChild(dd);
      }
      fact("Billed", group(String(e.billed)) + " " + BASE[b.unit] + (e.free ? " (" + group(String(e.free)) + " free)" : ""), "est-billed");
      fact("Post-paid only", money(e.postPaidOnly.total) + " " + e.currency, "est-post-paid");
      fact("Cheapest", money(e.cheapest.total) + " " + e.currency + (e.cheapest.packages.length ? " with prepaid packages, saving " + money(e.saving) : ", post-paid (no mix of packages costs less)"), "est-cheapest");
      out.appendChild(dl);
      table("Usage", e.metering.map(function (l) { return [l[0], l[1], null]; }));
      table("Post-paid only", e.postPaidOnly.lines);
      if (e.cheapest.packages.length) { table("Cheapest: packages and post-paid", e.cheapest.lines); }
      var ul = document.createElement("ul"); ul.className = "est-notes";
      e.notes.forEach(function (n) { var li = document.createElement("li"); li.textContent = n; ul.appendChild(li); });
      out.appendChild(ul);
    }
    business.addEventListener("change", function () { form.removeAttribute("data-mode"); fillModes(); render(); });
    mode.addEventListener("change", function () { fillDestinations(); render(); });
    form.addEventListener("input", render);
    form.addEventListener("change", render);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); render(); });
    fillModes();
    render();
  }

  root.POPGEN_PRICING = { estimate: estimate, micro: micro, money: money };
  if (typeof document !== "undefined") { document.addEventListener("DOMContentLoaded", init); }
})(typeof window !== "undefined" ? window : globalThis);
