/* cruxmap report: the ACH weights an analyst changes in the page.
 * A row's credibility or relevance changed in the matrix ranks the answers again, here, by the rule of
 * map/ach.py (rank_hypotheses: weighted inconsistency, its ties and its sensitivity check), from what the
 * page embeds per row (ratings, the row's share of its claim's weight, both weights, diagnosticity); the
 * change goes into the page's list of corrections (report.js) as a credibility / relevance correction.
 * Builds no HTML from strings. */
(function () {
  "use strict";

  var WEIGHT = { high: 2, medium: 1, low: 0.5 };
  var INCONSISTENCY = { I: 1, II: 2 };
  var CONSISTENCY = { C: 1, CC: 2 };
  var FLIP = { CC: "II", C: "I", N: "N", I: "C", II: "CC", NA: "NA" };
  var RATED = { CC: true, C: true, I: true, II: true };
  var SENSITIVITY_LIMIT = 5;

  /** Python's round(x, 6): totals are compared rounded, so ties fall as they do in map/ach.py. */
  function round6(x) {
    var scaled = x * 1e6, floor = Math.floor(scaled), rest = scaled - floor;
    var whole = rest > 0.5 ? floor + 1 : rest < 0.5 ? floor : (floor % 2 === 0 ? floor : floor + 1);
    return whole / 1e6;
  }

  /** Python's round(x): half to even (what the report prints, a whole number). */
  function wholeNumber(x) {
    var floor = Math.floor(x), rest = x - floor;
    return rest > 0.5 ? floor + 1 : rest < 0.5 ? floor : (floor % 2 === 0 ? floor : floor + 1);
  }

  /** What one row adds to each hypothesis: [weighted inconsistency, weighted consistency] (_contribution). */
  function contribution(row, flip) {
    var w = row.share * WEIGHT[row.credibility] * WEIGHT[row.relevance], out = {};
    Object.keys(row.cells).forEach(function (h) {
      var rating = flip ? FLIP[row.cells[h]] : row.cells[h];
      out[h] = [w * (INCONSISTENCY[rating] || 0), w * (CONSISTENCY[rating] || 0)];
    });
    return out;
  }

  function rounded(sums) {
    var out = {};
    Object.keys(sums).forEach(function (h) { out[h] = [round6(sums[h][0]), round6(sums[h][1])]; });
    return out;
  }

  /** Add (sign 1) or take away (sign -1) one row's contribution, for the hypotheses ``sums`` holds. */
  function accumulate(sums, add, sign) {
    Object.keys(add).forEach(function (h) {
      if (!sums[h]) return;
      sums[h][0] += sign * add[h][0];
      sums[h][1] += sign * add[h][1];
    });
  }

  function totals(rows, ids) {
    var sums = {};
    ids.forEach(function (h) { sums[h] = [0, 0]; });
    rows.forEach(function (row) { accumulate(sums, contribution(row, false), 1); });
    return rounded(sums);
  }

  /** Totals with one row removed, or with its ratings reversed (_without). */
  function without(sums, row, flip) {
    var out = {};
    Object.keys(sums).forEach(function (h) { out[h] = sums[h].slice(); });
    accumulate(out, contribution(row, false), -1);
    if (flip) accumulate(out, contribution(row, true), 1);
    return rounded(out);
  }

  /** Least inconsistent first; ties: more consistency, then the hypotheses' own order (_order). */
  function orderOf(sums, ids) {
    return ids.slice().sort(function (a, b) {
      return (sums[a][0] - sums[b][0]) || (sums[b][1] - sums[a][1]) || (ids.indexOf(a) - ids.indexOf(b));
    });
  }

  function same(a, b) { return a.join("\u0000") === b.join("\u0000"); }

  function compareTuples(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return 0;
  }

  /** The hypotheses at least one row rates CC, C, I or II, in the given order (assessed_ids). */
  function assessed(rows, ids) {
    return ids.filter(function (h) { return rows.some(function (row) { return RATED[row.cells[h]]; }); });
  }

  /** Each hypothesis' rank: 1 + the number strictly less inconsistent (ties share a rank). */
  function ranksOf(order, sums) {
    var out = {};
    order.forEach(function (h) {
      out[h] = 1 + order.filter(function (o) { return sums[o][0] < sums[h][0]; }).length;
    });
    return out;
  }

  /** The ranking of the assessed ``ids`` over ``rows`` and the rows whose removal or reversal reorders it
      (rank_hypotheses); fewer than two assessed hypotheses rank nothing. */
  function rank(rows, ids) {
    ids = assessed(rows, ids);
    if (ids.length < 2) return { order: [], totals: {}, ranks: {}, sensitive: [] };
    var sums = totals(rows, ids), order = orderOf(sums, ids), found = [];
    rows.forEach(function (row) {
      if (!Object.keys(row.cells).some(function (h) { return RATED[row.cells[h]]; })) return;
      var removed = orderOf(without(sums, row, false), ids), flipped = orderOf(without(sums, row, true), ids);
      if (same(removed, order) && same(flipped, order)) return;
      var topChanged = removed[0] !== order[0] || flipped[0] !== order[0];
      found.push([same(removed, order), !topChanged, -row.share * row.diagnosticity, row.id]);
    });
    found.sort(compareTuples);
    return { order: order, totals: sums, ranks: ranksOf(order, sums),
             sensitive: found.slice(0, SENSITIVITY_LIMIT).map(function (t) { return t[t.length - 1]; }) };
  }

  /* ------------------------------------------------------------------ the page */

  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function make(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  /** Show a ranking: the list above the matrix, the overview's rank column, the sensitivity line and flags. */
  function show(result, data) {
    var list = document.getElementById("ach-ranking");
    if (list) {
      var items = {};
      $all("li[data-ach-hyp]", list).forEach(function (li) { items[li.getAttribute("data-ach-hyp")] = li; });
      Object.keys(items).forEach(function (h) { items[h].hidden = result.order.indexOf(h) < 0; });
      result.order.forEach(function (h) {
        var li = items[h];
        if (!li) return;
        li.classList.toggle("best", result.ranks[h] === 1);
        var inc = li.querySelector("[data-ach-inc]"), con = li.querySelector("[data-ach-con]");
        if (inc) inc.textContent = String(wholeNumber(result.totals[h][0]));
        if (con) con.textContent = String(wholeNumber(result.totals[h][1]));
        list.appendChild(li);
      });
    }
    $all("td[data-ach-rank]").forEach(function (td) {
      var at = result.ranks[td.getAttribute("data-ach-rank")];
      td.textContent = at === undefined ? "—" : String(at);
      if (at === 1) { td.appendChild(document.createTextNode(" ")); td.appendChild(make("span", "tag best", "least contradicted")); }
    });
    var sensitive = {};
    result.sensitive.forEach(function (id) { sensitive[id] = true; });
    $all("[data-ach-row]").forEach(function (pick) {
      var flag = pick.closest("tr").querySelector("[data-ach-flag]");
      if (flag) flag.hidden = !sensitive[data.rows[+pick.getAttribute("data-ach-row")].id];
    });
    var line = document.getElementById("ach-sensitivity");
    if (line) {
      line.textContent = "Sensitivity, with the weights as set here: " + (result.sensitive.length
        ? result.sensitive.length + " item(s) marked “could change the ranking” would reorder it if removed or read the other way."
        : "no single item, removed or reversed, changes the order.");
    }
  }

  /** Wire the weight selects: ``corrections`` is report.js's list (record, drop, count). */
  function attach(data, corrections, who) {
    if (!data || !data.rows || !data.rows.length) return;
    var loaded = data.rows.map(function (row) { return { credibility: row.credibility, relevance: row.relevance }; });
    var note = document.getElementById("ach-reweighted");
    $all("[data-ach-row]").forEach(function (pick) {
      var n = +pick.getAttribute("data-ach-row"), row = data.rows[n];
      $all("select[data-ach-weight]", pick).forEach(function (select) {
        select.addEventListener("change", function () {
          var kind = select.getAttribute("data-ach-weight"), s = row.subject;
          var key = [kind, s.source_id, s.start, s.end].join("|");
          row[kind] = select.value;
          var changed = select.value !== loaded[n][kind];
          select.classList.toggle("changed", changed);
          if (changed) {
            corrections.record(key, {
              kind: kind, source_id: s.source_id, start: s.start, end: s.end, text: s.text, value: select.value,
              who: who(), when: new Date().toISOString(), why: null
            }, kind + " of “" + (s.text.length > 80 ? s.text.slice(0, 77) + "…" : s.text) + "”: " + loaded[n][kind] + " → " + select.value);
          } else {
            corrections.drop(key);
          }
          var result = rank(data.rows, data.competing);
          show(result, data);
          var moved = data.rows.filter(function (r, i) {
            return r.credibility !== loaded[i].credibility || r.relevance !== loaded[i].relevance;
          }).length;
          if (note) {
            note.hidden = moved === 0;
            note.textContent = moved ? "Ranked with " + moved + " row weight(s) changed here. The map itself still " +
              "holds the weights it was made with until the corrections file is imported." : "";
          }
        });
      });
    });
  }

  window.cruxmapAch = { rank: rank, attach: attach, wholeNumber: wholeNumber };
})();
