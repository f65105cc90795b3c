/* cruxmap report: the long lists (sources, quotes, dated events and their chart) drawn from the embedded
 * JSON a page at a time, so the HTML the browser parses stays small. Rows are built with DOM calls and
 * article text only ever becomes text nodes. Filters look at every row, not just the drawn ones; a link
 * to a row not drawn yet draws it (report.js); printing draws every row that matches. */
(function () {
  "use strict";

  var block = document.getElementById("cruxmap-lists");
  var data = JSON.parse((block && block.textContent) || "{}");
  var PAGE = data.page || 50, names = data.names || [];
  var SVG = "http://www.w3.org/2000/svg";

  function make(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined && text !== null) el.textContent = text;
    return el;
  }
  function svg(tag, attrs, text) {
    var el = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text) el.textContent = text;
    return el;
  }
  function add(parent) {  // append children (elements or strings, as text) in order
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return parent;
  }
  function link(cls, href, text) { var a = make("a", cls, text); a.setAttribute("href", href); return a; }
  function plural(n, noun) { return n + " " + noun + (n === 1 ? "" : "s"); }
  function truncate(text, limit) {  // Jinja's truncate, as the server-drawn sections use it: counting code points
    var chars = Array.from(text);  // one per code point (text.length counts UTF-16 units: an emoji is two)
    return chars.length <= limit + 5 ? text : chars.slice(0, limit - 3).join("").replace(/ [^ ]*$/, "") + "...";
  }
  function sign(label) { return label === "support" ? "+" : "\u2212"; }
  function chips(stances) {
    var frag = document.createDocumentFragment();
    (stances || []).forEach(function (s) {
      var chip = make("span", "chip chip-" + s.label, sign(s.label) + s.hyp + (s.analyst ? " \u270e" : ""));
      chip.title = s.label + "s " + s.hyp + " " + (s.analyst ? "(set by an analyst)" : "(" + s.score.toFixed(2) + ")");
      add(frag, " ", chip);
    });
    return frag;
  }
  function chipWords(stances) { return (stances || []).map(function (s) { return sign(s.label) + s.hyp; }); }

  /* ------------------------------------------------------------------ one list, drawn a page at a time */

  /** A list of rows drawn into ``[data-rows=name]``; ``build`` makes a row's element (once: it is kept),
   * ``words`` the text search looks in, ``place`` puts an element in the page (default: at the end). */
  function List(name, rows, build, words, place) {
    this.name = name; this.rows = rows || []; this.build = build; this.words = words;
    this.box = document.querySelector("[data-rows='" + name + "']");
    this.place = place || function (box, row, el) { box.appendChild(el); };
    this.matching = this.rows.map(function (_, i) { return i; });
    this.shown = 0;
    this.more = document.querySelector("[data-more='" + name + "']");
    if (this.more) {
      var self = this;
      this.moreButton = make("button", null);
      this.allButton = make("button", null);
      this.moreStatus = make("span", "muted");
      [this.moreButton, this.allButton].forEach(function (b) { b.type = "button"; });
      this.moreButton.addEventListener("click", function () { self.extend(PAGE); });
      this.allButton.addEventListener("click", function () { self.extend(Infinity); });
      add(this.more, this.moreButton, this.allButton, this.moreStatus);
    }
  }
  List.prototype.element = function (row) {
    if (!row._el) row._el = this.build(row);
    return row._el;
  };
  List.prototype.matches = function (row, f) {
    function listed(attr, key) {
      var value = row.f ? row.f[attr] : undefined;
      return value === undefined || (" " + value + " ").indexOf(" " + key + " ") >= 0;
    }
    if (f.text && row._s === undefined) row._s = this.words(row).join(" ").toLowerCase();
    return (!f.hyp || listed("hyp", f.hyp)) && (!f.src || listed("src", f.src)) &&
      (!f.spk || listed("spk", f.spk)) && (!f.text || row._s.indexOf(f.text) >= 0);
  };
  /** Keep the rows that match ``f`` and draw the first page of them. */
  List.prototype.filter = function (f, active) {
    var self = this;
    this.matching = [];
    this.rows.forEach(function (row, i) { if (!active || self.matches(row, f)) self.matching.push(i); });
    this.shown = 0;
    this.group = null;
    if (this.box) this.box.textContent = "";
    this.extend(PAGE);
  };
  /** Draw ``n`` more of the matching rows (Infinity: all of them). */
  List.prototype.extend = function (n) {
    var end = Math.min(this.matching.length, this.shown + n);
    for (var k = this.shown; k < end && this.box; k++) {
      var row = this.rows[this.matching[k]];
      this.place(this.box, row, this.element(row));
    }
    this.shown = Math.max(this.shown, end);
    if (this.more) {
      var left = this.matching.length - this.shown;
      this.more.hidden = left <= 0;
      this.moreButton.textContent = "Show " + Math.min(PAGE, left) + " more";
      this.allButton.textContent = "Show all " + this.matching.length;
      this.moreStatus.textContent = this.shown + " of " + this.matching.length + " shown";
    }
    if (this.drawn) this.drawn();
  };
  /** The element of row ``i``, drawn (with every matching row before it) if it was not yet; null if filtered out. */
  List.prototype.reveal = function (i) {
    var at = this.matching.indexOf(i);
    if (at < 0) return null;
    if (at >= this.shown) this.extend(at + 1 - this.shown);
    return this.element(this.rows[i]);
  };

  /* ------------------------------------------------------------------ sources */

  function sourceRow(row) {
    var details = make("details", "source");
    details.id = row.anchor;
    add(details, add(make("summary"), make("span", "src-title", row.name), " ", make("span", "byline", row.byline), " ",
                     make("span", "muted", "\u00b7 " + row.words + " words \u00b7 " + plural(row.claims, "claim") +
                          " \u00b7 " + plural(row.quotes, "quote") + " \u00b7 " + plural(row.events, "date"))));
    details.addEventListener("toggle", function () { if (details.open) sourceBody(row); });
    return details;
  }

  /** The source's text, metadata and removed parts: drawn the first time it opens (or is linked to or printed). */
  function sourceBody(row) {
    if (row._body) return row._body;
    var details = sources.element(row);
    var meta = make("div", "src-meta");
    if (row.url) {
      var a = link(null, row.url, truncate(row.url, 90));
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      add(meta, a);
    } else if (row.raw_url) {
      add(meta, make("span", "muted", truncate(row.raw_url, 90)));
    }
    add(meta, make("span", "muted", row.path));
    if (row.dups.length) add(meta, make("p", "note", "Near-duplicate of: " + row.dups.join("; ")));
    var text = make("div", "src-text");
    text.setAttribute("data-source-text", "");
    row.runs.forEach(function (run) {
      var style = data.styles[run[0]];
      if (!style[0]) { add(text, run[1]); return; }
      var span = make("span", style[0], run[1]);
      span.title = style[1];
      add(text, span);
    });
    add(details, meta, text);
    if (row.removed.length) {
      var list = make("ul");
      row.removed.forEach(function (r) {
        add(list, add(make("li"), make("span", "tag", r.reason), " ",
                      make("span", "muted small", "raw characters " + r.start + "\u2013" + r.end),
                      make("div", "removed-text", r.text)));
      });
      add(details, add(make("details", "removed"), make("summary", null, "Removed by cleaning (" + row.removed.length + ")"), list));
    } else {
      add(details, make("p", "muted small", "Cleaning removed nothing from this source."));
    }
    row._body = text;
    return text;
  }

  var sources = new List("sources", data.sources, sourceRow, function (row) {
    return [row.name, row.byline, row.url || row.raw_url || "", row.path, row.dups.join(" ")]
      .concat(row.runs.map(function (run) { return run[1]; }))
      .concat(row.removed.map(function (r) { return r.reason + " " + r.text; }));
  });
  var byAnchor = {};
  sources.rows.forEach(function (row, i) { byAnchor[row.anchor] = i; });

  /* ------------------------------------------------------------------ quotes, under their speaker */

  var quoteData = data.quotes || { groups: [], rows: [] };
  var quotes = new List("quotes", quoteData.rows, function (row) {
    return add(make("li", "ev ev-quote"), link("ev-text", row.href, row.direct ? "\u201c" + row.text + "\u201d" : row.text),
               make("span", "ev-meta", (row.cue ? row.cue + " \u00b7 " : "") + names[row.source] + (row.direct ? "" : " \u00b7 indirect")));
  }, function (row) {
    return [row.text, row.cue || "", names[row.source], row.direct ? "" : "indirect"];
  }, function (box, row, el) {
    if (!this.group || this.group.index !== row.g) {  // a new speaker: its heading, then its quotes
      var g = quoteData.groups[row.g];
      var heading = add(make("h3"), g.speaker ? g.speaker : make("span", "muted", "Unattributed"),
                        g.type ? " " : null, g.type ? make("span", "tag sp-type", g.type) : null,
                        g.roles.length ? " " : null, g.roles.length ? make("span", "role", g.roles.join("; ")) : null, " ",
                        make("span", "muted", "\u00b7 " + plural(g.n, "quote") + " in " + plural(g.sources, "source")));
      var list = make("ul", "evlist");
      add(box, add(make("div", "speaker-group"), heading, list));
      this.group = { index: row.g, list: list };
    }
    this.group.list.appendChild(el);
  });

  /* ------------------------------------------------------------------ dated events: a list and a chart */

  var eventData = data.events || { rows: [], chart: null };
  var events = new List("events", eventData.rows, function (row) {
    var date = make("span", "date", row.date || "undated");
    date.title = row.how;
    return add(make("li", "ev ev-event"), date, " ", link("ev-text", row.href, row.text + (row.desc ? ": " + row.desc : "")),
               add(make("span", "ev-meta", names[row.source] + " \u00b7 " + row.how), chips(row.serves)));
  }, function (row) {
    return [row.date || "undated", row.text, row.desc || "", names[row.source], row.how].concat(chipWords(row.serves));
  });

  var chart = eventData.chart, chartBox = document.querySelector("[data-chart='events']");
  var lanesShown = PAGE, lanesMore = document.querySelector("[data-more='lanes']");

  function marker(row, y) {
    var m = row.mk, a = svg("a", { "class": "mk mk-" + row.side, href: row.href });
    var title = row.text + " (" + row.date + ", " + row.how + ") \u2014 " + (row.desc || "") + " \u2014 " + names[row.source] +
      row.serves.map(function (s) { return "; " + s.label + "s " + s.hyp; }).join("");
    a.appendChild(svg("title", {}, title));
    a.appendChild(m.point ? svg("circle", { cx: m.cx, cy: y, r: 5.5 })
                          : svg("rect", { x: m.x, y: y - 5, width: m.w, height: 10, rx: 4 }));
    if (m.label) a.appendChild(svg("text", { "class": "mk-label", x: m.lx, y: y + 4 }, m.label));
    return a;
  }

  /** The chart of the matching events, one lane per source that has one; the first ``lanesShown`` lanes. */
  function drawChart() {
    if (!chart || !chartBox) return;
    var used = {}, order = [];
    events.matching.forEach(function (i) { var mk = events.rows[i].mk; if (mk) used[mk.lane] = true; });
    chart.lanes.forEach(function (_, lane) { if (used[lane]) order.push(lane); });
    var shown = order.slice(0, lanesShown), at = {};
    shown.forEach(function (lane, k) { at[lane] = k; });
    var laneY = function (k) { return chart.top + k * chart.lane_h + Math.floor(chart.lane_h / 2); };
    var axisY = chart.top + shown.length * chart.lane_h + 4, width = chart.width, count = 0;
    var root = svg("svg", { "class": "tl", viewBox: "0 0 " + width + " " + (axisY + 26), role: "img" });
    shown.forEach(function (lane, k) {
      var g = svg("g", { "class": "lane" });
      if (k % 2 === 1) g.appendChild(svg("rect", { "class": "band", x: 0, y: chart.top + k * chart.lane_h, width: width, height: chart.lane_h }));
      var label = svg("text", { "class": "lane-label", x: 6, y: laneY(k) + 4 });
      add(label, svg("title", {}, chart.lanes[lane].full), chart.lanes[lane].label);
      root.appendChild(add(g, label));
    });
    root.appendChild(svg("line", { "class": "axis", x1: chart.label_w, x2: width - 20, y1: axisY, y2: axisY }));
    chart.ticks.forEach(function (t) {
      root.appendChild(svg("line", { "class": "tick", x1: t.x, x2: t.x, y1: 28, y2: axisY + 4 }));
      root.appendChild(svg("text", { "class": "tick-label", x: t.x, y: axisY + 18 }, t.label));
    });
    events.matching.forEach(function (i) {
      var row = events.rows[i];
      if (row.mk && at[row.mk.lane] !== undefined) { root.appendChild(marker(row, laneY(at[row.mk.lane]))); count++; }
    });
    root.setAttribute("aria-label", "timeline of " + count + " dated events");
    chartBox.textContent = "";
    chartBox.appendChild(root);
    if (lanesMore) {
      lanesMore.hidden = order.length <= shown.length;
      lanesMore.textContent = "";
      var more = make("button", null, "Show all " + order.length + " sources");
      more.type = "button";
      more.addEventListener("click", function () { lanesShown = Infinity; drawChart(); });
      add(lanesMore, more, make("span", "muted", shown.length + " of " + order.length + " sources on the chart"));
    }
  }

  var lists = { sources: sources, quotes: quotes, events: events };

  window.cruxmapLists = {
    /** Filter every list over all its rows (``f`` as report.js builds it) and draw the first page of each. */
    filter: function (f, active) {
      Object.keys(lists).forEach(function (name) { lists[name].filter(f, active); });
      lanesShown = PAGE;
      drawChart();
    },
    /** [matching, all] rows of a list. */
    count: function (name) { var l = lists[name]; return l ? [l.matching.length, l.rows.length] : [0, 0]; },
    /** The source whose element id is ``anchor``, drawn with its text; ``unfilter`` is called first when a
     * filter hides it. Null for no such source. */
    source: function (anchor, unfilter) {
      var i = byAnchor[anchor];
      if (i === undefined) return null;
      if (sources.matching.indexOf(i) < 0) unfilter();
      var el = sources.reveal(i);
      if (el) sourceBody(sources.rows[i]);
      return el;
    },
    /** Draw every matching row of every list, with each source's text (for printing). */
    drawAll: function () {
      Object.keys(lists).forEach(function (name) { lists[name].extend(Infinity); });
      sources.matching.forEach(function (i) { sourceBody(sources.rows[i]); });
      lanesShown = Infinity;
      drawChart();
    },
    data: data
  };
})();
