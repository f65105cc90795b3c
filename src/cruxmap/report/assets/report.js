/* cruxmap report: jump-to-source highlighting, search and filters, print support.
 * Works from the page alone (the embedded JSON and data-* attributes); never builds HTML from
 * strings: article text only ever moves as text nodes. The long lists are lists.js's (cruxmapLists). */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("cruxmap-data").textContent || "{}");
  var lists = window.cruxmapLists;
  var SPAN_HASH = /^#(src-[^@]+)@(\d+)-(\d+)$/;
  var SOURCE_HASH = /^#(src-[^@]+)$/;

  function $(sel) { return document.querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  /* ------------------------------------------------------------------ highlighting */

  function clearHighlight() {
    $all("mark.hl").forEach(function (mark) {
      var parent = mark.parentNode;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
      parent.normalize();
    });
  }

  /* map.json's offsets (and so the hash links) count code points, as Python does; JavaScript strings and DOM
   * offsets count UTF-16 units, in which a character beyond the Basic Multilingual Plane (an emoji, a flag, a
   * mathematical letter) is two, a surrogate pair. Every offset from the map meets the page's text through
   * these two functions. */
  var SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

  /** How many code points ``text`` holds (what Python's ``len`` says). */
  function codePointLength(text) {
    var pairs = text.match(SURROGATE_PAIR);
    return text.length - (pairs ? pairs.length : 0);
  }

  /** Where code point ``n`` of ``text`` starts, in UTF-16 units (``text.length`` past its end). */
  function codeUnitIndex(text, n) {
    var i = 0;
    for (; n > 0 && i < text.length; n--) {
      var unit = text.charCodeAt(i), next = text.charCodeAt(i + 1);
      i += unit >= 0xD800 && unit <= 0xDBFF && next >= 0xDC00 && next <= 0xDFFF ? 2 : 1;
    }
    return i;
  }

  /** Wrap characters [start, end) of a source's cleaned text (code points, as in map.json) in
   * <mark class="hl">; returns the first mark. */
  function highlight(textEl, start, end) {
    clearHighlight();
    var walker = document.createTreeWalker(textEl, NodeFilter.SHOW_TEXT);
    var pos = 0, node, pieces = [];  // pos: code points before this node
    while ((node = walker.nextNode())) {
      var from = pos, to = pos + codePointLength(node.data);
      if (to > start && from < end) {
        pieces.push([node, codeUnitIndex(node.data, Math.max(start - from, 0)), codeUnitIndex(node.data, Math.min(end, to) - from)]);
      }
      pos = to;
      if (pos >= end) break;
    }
    var first = null;
    pieces.forEach(function (p) {
      var text = p[0];
      if (p[2] < text.data.length) text.splitText(p[2]);
      if (p[1] > 0) text = text.splitText(p[1]);
      var mark = document.createElement("mark");
      mark.className = "hl";
      text.parentNode.insertBefore(mark, text);
      mark.appendChild(text);
      first = first || mark;
    });
    return first;
  }

  /** Open the source a hash names; with a character range, highlight it and scroll to it. */
  function followHash() {
    var hash = location.hash, span = SPAN_HASH.exec(hash), whole = SOURCE_HASH.exec(hash);
    var why = /^#why-/.test(hash) ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
    if (why) {  // a cell of "Who stands where": open the list of reasons and show this cell's
      why.closest("details").open = true;
      why.scrollIntoView({ block: "center" });
      return;
    }
    var id = span ? span[1] : whole ? whole[1] : null;
    if (!id) return;
    var section = lists.source(id, resetFilters);  // drawn now if it was on a later page
    if (!section) return;
    section.open = true;
    if (!span) { section.scrollIntoView({ block: "start" }); return; }
    var mark = highlight(section.querySelector("[data-source-text]"), +span[2], +span[3]);
    (mark || section).scrollIntoView({ block: "center" });
    if (mark) {
      mark.classList.add("flash");
      setTimeout(function () { mark.classList.remove("flash"); }, 1600);
    }
  }

  window.addEventListener("hashchange", followHash);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#src-']");
    if (link && link.getAttribute("href") === location.hash) followHash();  // same link twice: no hashchange
  });

  /* ------------------------------------------------------------------ filters */

  var search = $("#q"), byHyp = $("#f-hyp"), bySource = $("#f-src"), bySpeaker = $("#f-spk"), status = $("#f-status");

  /** An element matches a key when it lacks the attribute (not restricted) or lists the key. */
  function listed(el, attr, key) {
    var value = el.getAttribute("data-" + attr);
    return value === null || (" " + value + " ").indexOf(" " + key + " ") >= 0;
  }

  function matches(el, f) {
    return (!f.hyp || listed(el, "hyp", f.hyp)) && (!f.src || listed(el, "src", f.src)) &&
      (!f.spk || listed(el, "spk", f.spk)) && (!f.text || el.textContent.toLowerCase().indexOf(f.text) >= 0);
  }

  function applyFilter() {
    var f = { text: search.value.trim().toLowerCase(), hyp: byHyp.value, src: bySource.value, spk: bySpeaker.value };
    var active = !!(f.text || f.hyp || f.src || f.spk);
    lists.filter(f, active);
    $all("[data-f]").forEach(function (el) { el.classList.toggle("f-out", active && !matches(el, f)); });
    $all("[data-group]").forEach(function (group) {
      var items = $all("[data-f]", group);
      group.classList.toggle("f-out", items.length > 0 && items.every(function (i) { return i.classList.contains("f-out"); }));
    });
    var shown = 0;
    $all("[data-section]").forEach(function (section) {
      var counter = section.querySelector("[data-count]"), total, visible;
      if (counter.hasAttribute("data-list")) {  // drawn a page at a time: count its rows, not its elements
        var counts = lists.count(counter.getAttribute("data-list"));
        visible = counts[0]; total = counts[1];
      } else {
        var items = $all(counter.getAttribute("data-count"), section);
        total = items.length;
        visible = items.filter(function (i) { return !i.classList.contains("f-out"); }).length;
      }
      shown += visible;
      counter.textContent = active && total ? visible + " of " + total : String(total);
      var none = section.querySelector(".filtered-empty");
      if (none) none.hidden = !(active && total && !visible);
    });
    status.textContent = active ? shown + " items match" : "";
    document.body.classList.toggle("filtering", active);
  }

  function resetFilters() {
    search.value = ""; byHyp.value = ""; bySource.value = ""; bySpeaker.value = "";
    applyFilter();
  }

  var typing = null;
  search.addEventListener("input", function () { clearTimeout(typing); typing = setTimeout(applyFilter, 120); });
  [byHyp, bySource, bySpeaker].forEach(function (el) { el.addEventListener("change", applyFilter); });
  $(".filters").addEventListener("reset", function () { setTimeout(applyFilter, 0); });
  $(".filters").addEventListener("submit", function (event) { event.preventDefault(); applyFilter(); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement !== search && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      event.preventDefault();
      search.focus();
    }
  });

  $all("[data-show-all]").forEach(function (button) {
    button.addEventListener("click", function () {
      document.getElementById(button.getAttribute("data-show-all")).classList.add("show-all");
    });
  });

  /* ------------------------------------------------------------------ print: show every collapsed part */

  var reopened = [];
  window.addEventListener("beforeprint", function () {
    lists.drawAll();
    reopened = $all("details:not([open])");
    reopened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
  });

  /* ------------------------------------------------------------------ offline corrections: a file to download */

  /* One list of the analyst's corrections, whichever part of the page made them (the positions form below,
   * the ACH weights in ach.js), each keyed by its subject so a later change of the same thing replaces it. */
  var recorded = [];  // {key, correction, line}
  var corrections = {
    record: function (key, correction, line) {
      recorded = recorded.filter(function (p) { return p.key !== key; });
      recorded.push({ key: key, correction: correction, line: line });
      showPending();
    },
    drop: function (key) {
      recorded = recorded.filter(function (p) { return p.key !== key; });
      showPending();
    },
    list: function () { return recorded.map(function (p) { return p.correction; }); }
  };
  function showPending() {
    var list = $("#c-list");
    if (list) {
      list.textContent = "";
      recorded.forEach(function (p) { list.appendChild(document.createElement("li")).textContent = p.line; });
    }
    ["#c-download", "#ach-download"].forEach(function (sel) { if ($(sel)) $(sel).disabled = recorded.length === 0; });
  }
  function download() {
    var lines = corrections.list().map(function (c) {
      var out = {};
      Object.keys(c).forEach(function (k) { if (c[k] !== null) out[k] = c[k]; });
      return JSON.stringify(out);
    });
    var blob = new Blob([lines.join("\n") + "\n"], { type: "application/x-ndjson" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "corrections.jsonl";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }
  function analyst() { return ($("#c-who") && $("#c-who").value.trim()) || "analyst"; }

  var form = data.correction || { sources: [], hypotheses: [], cells: {} };
  function machineReading() {
    var src = $("#c-src"), hyp = $("#c-hyp"), out = $("#c-machine");
    if (!src || !hyp || !out) return;
    out.textContent = "The machine read: " + (form.cells[src.value + "|" + hyp.value] || "none") + ".";
  }
  function statementOf(hid) {
    for (var i = 0; i < form.hypotheses.length; i++) if (form.hypotheses[i].id === hid) return form.hypotheses[i].statement;
    return null;
  }
  if ($("#c-add")) {
    ["#c-src", "#c-hyp"].forEach(function (sel) { $(sel).addEventListener("change", machineReading); });
    machineReading();
    $("#c-add").addEventListener("click", function () {
      var src = $("#c-src"), hid = $("#c-hyp").value, label = $("#c-label").value;
      var correction = { kind: "position", source_id: src.value, hypothesis_id: hid, hypothesis: statementOf(hid),
                         value: label, who: analyst(),
                         when: new Date().toISOString(), why: $("#c-why").value.trim() || null };
      var name = "";
      form.sources.forEach(function (s) { if (s.id === correction.source_id) name = s.name; });
      corrections.record("position|" + src.value + "|" + hid, correction,
                         name + " · " + hid + ": " + (form.cells[src.value + "|" + hid] || "none") +
                         " → " + label + (correction.why ? " (" + correction.why + ")" : ""));
    });
    $("#c-download").addEventListener("click", download);
  }
  if ($("#ach-download")) $("#ach-download").addEventListener("click", download);
  if (window.cruxmapAch) window.cruxmapAch.attach(data.ach, corrections, analyst);

  window.cruxmap = { apiBase: data.apiBase || null, data: data, highlight: highlight, applyFilter: applyFilter,
                     resetFilters: resetFilters, followHash: followHash,
                     pendingCorrections: corrections.list };
  applyFilter();
  followHash();
})();
