/* parley page explorer: filters, bilingual search, event cards, links and the timeline
 * chart in step, on the list the export rendered (views/explorer.py).
 *
 * No network and no fetch (pages open from file://): the events come from the JSON the
 * export embedded. Filtering, search normalisation and the link fragment are specified in
 * parley.tables.explore and implemented identically here; tests/cases/explorer.yaml runs
 * the same cases against both. Data is only ever put in the page as text (textContent,
 * cloned escaped nodes), never as markup.
 */
(function () {
  "use strict";

  // --- the behaviour shared with parley.tables.explore ----------------------------------

  var KATAKANA = /[\u30a1-\u30f6]/g;
  var WORD_BREAK = /[ \t\n\r\f\v]+/;
  var ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
  // [fragment key, filter field, is a list]
  var FRAGMENT_KEYS = [
    ["side", "sides", true],
    ["kind", "kinds", true],
    ["issue", "issues", true],
    ["actor", "actors", true],
    ["ver", "verification", true],
    ["from", "start", false],
    ["to", "end", false],
    ["q", "query", false],
    ["event", "selected", false],
  ];
  var LISTS = ["sides", "kinds", "issues", "actors", "verification"];

  /** NFKC, lower case, katakana folded to hiragana (see parley.tables.explore). */
  function normalise(text) {
    return String(text)
      .normalize("NFKC")
      .toLowerCase()
      .replace(KATAKANA, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0x60);
      });
  }

  function queryWords(query) {
    return normalise(query || "")
      .split(WORD_BREAK)
      .filter(function (w) {
        return w.length > 0;
      });
  }

  function emptyFilter() {
    return {
      sides: [],
      kinds: [],
      issues: [],
      actors: [],
      verification: [],
      start: "",
      end: "",
      query: "",
      selected: "",
    };
  }

  function validDay(text) {
    if (!ISO_DAY.test(text)) {
      return false;
    }
    var d = new Date(text + "T00:00:00Z");
    return !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
  }

  function encode(text) {
    return encodeURIComponent(text).replace(/%2C/g, ",");
  }

  function decode(text) {
    try {
      return decodeURIComponent(text);
    } catch (e) {
      return text;
    }
  }

  /** The filter as `key=value&…` (no '#'); "" for the unfiltered view. */
  function toFragment(f) {
    var parts = [];
    FRAGMENT_KEYS.forEach(function (spec) {
      var value = f[spec[1]];
      var text = spec[2] ? (value || []).join(",") : value || "";
      if (text) {
        parts.push(spec[0] + "=" + encode(text));
      }
    });
    return parts.join("&");
  }

  /** The filter a fragment names; unknown keys and bad dates are left out. */
  function fromFragment(text) {
    var f = emptyFilter();
    text = String(text || "");
    if (text.charAt(0) === "#") {
      text = text.slice(1);
    }
    var names = {};
    FRAGMENT_KEYS.forEach(function (spec) {
      names[spec[0]] = spec;
    });
    text.split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at < 0 || !Object.prototype.hasOwnProperty.call(names, part.slice(0, at))) {
        return;
      }
      var spec = names[part.slice(0, at)];
      var value = decode(part.slice(at + 1));
      if (spec[1] === "start" || spec[1] === "end") {
        if (validDay(value)) {
          f[spec[1]] = value;
        }
      } else if (spec[2]) {
        f[spec[1]] = value.split(",").filter(function (v) {
          return v.length > 0;
        });
      } else {
        f[spec[1]] = value;
      }
    });
    return f;
  }

  /** A share code from the notebook explorer ("p1." + base64url(zlib(JSON))), read
   *  in the page (DecompressionStream: no library, no network). Resolves to a filter. */
  function fromShareCode(code) {
    code = String(code || "").trim();
    if (code.indexOf("p1.") !== 0) {
      return Promise.reject(new Error("not a parley explorer code"));
    }
    var body = code.slice(3).replace(/-/g, "+").replace(/_/g, "/");
    while (body.length % 4) {
      body += "=";
    }
    var bytes;
    try {
      bytes = Uint8Array.from(atob(body), function (c) {
        return c.charCodeAt(0);
      });
    } catch (e) {
      return Promise.reject(new Error("the code is damaged or incomplete"));
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text().then(function (raw) {
      var data = JSON.parse(raw);
      var f = emptyFilter();
      Object.keys(data).forEach(function (key) {
        if (!Object.prototype.hasOwnProperty.call(f, key)) {
          throw new Error("the code names an unknown setting");
        }
        if (LISTS.indexOf(key) >= 0) {
          f[key] = (data[key] || []).map(String);
        } else {
          f[key] = String(data[key]);
        }
      });
      return f;
    });
  }

  function overlaps(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (b.indexOf(a[i]) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Does event `ev` (one row of the embedded data, `h` its normalised text) pass `f`? */
  function passes(ev, f, words) {
    if (f.sides.length && f.sides.indexOf(ev.s) < 0) return false;
    if (f.kinds.length && f.kinds.indexOf(ev.k) < 0) return false;
    if (f.verification.length && f.verification.indexOf(ev.v) < 0) return false;
    if (f.actors.length && !overlaps(f.actors, ev.a)) return false;
    if (f.issues.length && !overlaps(f.issues, ev.i)) return false;
    if (f.start && (ev.e || ev.d) < f.start) return false;
    if (f.end && ev.d > f.end) return false;
    for (var w = 0; w < words.length; w++) {
      if (ev.h.indexOf(words[w]) < 0) return false;
    }
    return true;
  }

  function isFiltered(f) {
    return (
      LISTS.some(function (k) {
        return f[k].length > 0;
      }) ||
      !!f.start ||
      !!f.end ||
      queryWords(f.query).length > 0
    );
  }

  // --- one explorer on the page ----------------------------------------------------------

  var ROW_TEXTS = [".parley-ev-open", ".parley-ev-summary", ".parley-ev-place", ".parley-ev-note"];

  /** The searchable texts an event's row shows: title, summary, place, framing note. */
  function rowText(row) {
    if (!row) {
      return "";
    }
    return ROW_TEXTS.map(function (sel) {
      var el = row.querySelector(sel);
      return el ? el.textContent : "";
    }).join(" ");
  }

  var CHUNK = 100; // rows put in the list at a time: 10,000 stay fast to filter

  function Explorer(root) {
    var self = this;
    this.root = root;
    this.data = JSON.parse(root.querySelector("script.parley-explorer-data").textContent);
    this.events = this.data.events;
    this.list = root.querySelector("[data-parley-list]");
    this.rows = Array.prototype.slice.call(this.list.querySelectorAll("li.parley-ev"));
    this.byId = {};
    this.events.forEach(function (ev, k) {
      // The page's own language's texts are read from the event's row (the script data
      // holds only the other language's and the id: views/explorer.py's search_columns).
      ev.h = normalise(rowText(self.rows[k]) + " " + ev.t);
      self.byId[ev.id] = k;
    });
    this.form = root.querySelector("form.parley-ex-filters");
    this.count = root.querySelector(".parley-ex-count");
    this.more = root.querySelector(".parley-ex-more");
    this.card = root.querySelector(".parley-ex-card");
    this.cardBody = root.querySelector(".parley-ex-card-body");
    this.here = root.querySelector(".parley-ex-here");
    this.state = emptyFilter();
    this.shown = [];
    this.limit = CHUNK;
    this.active = -1; // the row keyboard focus is on
    this.chart = null;
    this.empty = document.createElement("li");
    this.empty.className = "parley-ex-none";
    this.empty.textContent = this.data.labels.explorer_empty;
    this.findChart();
    this.wire();
    this.form.hidden = false;
    root.querySelector(".parley-ex-keys").hidden = false;
    root.querySelector(".parley-ex-share").hidden = false;
    root.setAttribute("data-parley-ready", "true");
  }

  Explorer.prototype.label = function (key, values) {
    var text = this.data.labels[key] || key;
    Object.keys(values || {}).forEach(function (k) {
      text = text.split("{" + k + "}").join(String(values[k]));
    });
    return text;
  };

  /** The events a filter keeps, as indices into the data (date order). */
  Explorer.prototype.match = function (f) {
    var words = queryWords(f.query);
    var out = [];
    for (var k = 0; k < this.events.length; k++) {
      if (passes(this.events[k], f, words)) {
        out.push(k);
      }
    }
    return out;
  };

  // --- controls ---

  Explorer.prototype.readControls = function () {
    var form = this.form;
    var f = emptyFilter();
    function checked(name) {
      return Array.prototype.slice
        .call(form.querySelectorAll('input[name="' + name + '"]:checked'))
        .map(function (input) {
          return input.value;
        });
    }
    f.sides = checked("side");
    f.kinds = checked("kind");
    f.verification = checked("ver");
    var issue = form.elements.issue.value;
    var actor = form.elements.actor.value;
    f.issues = issue ? [issue] : [];
    f.actors = actor ? [actor] : [];
    f.start = form.elements.from.value || "";
    f.end = form.elements.to.value || "";
    f.query = form.elements.q.value;
    f.selected = this.state.selected;
    return f;
  };

  Explorer.prototype.showControls = function (f) {
    var form = this.form;
    function tick(name, values) {
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
        input.checked = values.indexOf(input.value) >= 0;
      });
    }
    tick("side", f.sides);
    tick("kind", f.kinds);
    tick("ver", f.verification);
    function choose(select, values) {
      var known = Array.prototype.some.call(select.options, function (o) {
        return o.value === values[0];
      });
      select.value = values.length && known ? values[0] : "";
    }
    choose(form.elements.issue, f.issues);
    choose(form.elements.actor, f.actors);
    form.elements.from.value = f.start;
    form.elements.to.value = f.end;
    form.elements.q.value = f.query;
  };

  Explorer.prototype.wire = function () {
    var self = this;
    var onChange = function () {
      self.limit = CHUNK;
      self.apply(self.readControls(), { link: true });
    };
    this.form.addEventListener("input", onChange);
    this.form.addEventListener("change", onChange);
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    this.form.addEventListener("reset", function () {
      setTimeout(function () {
        self.state.selected = "";
        self.closeCard(false);
        onChange();
      }, 0);
    });
    this.more.addEventListener("click", function () {
      self.limit += CHUNK;
      self.renderList();
    });
    this.list.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button.parley-ev-open");
      if (button) {
        self.select(self.rowIndex(button), { open: true, link: true });
      }
    });
    this.list.addEventListener("keydown", function (event) {
      self.onListKey(event);
    });
    this.root.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !self.card.hidden) {
        event.preventDefault();
        self.closeCard(true);
      }
    });
    this.card.querySelector(".parley-ex-close").addEventListener("click", function () {
      self.closeCard(true);
    });
    window.addEventListener("hashchange", function () {
      if (location.hash.slice(1) !== self.written) {
        self.openFragment(location.hash);
      }
    });
  };

  Explorer.prototype.rowIndex = function (node) {
    var li = node.closest("li.parley-ev");
    return li ? Number(li.getAttribute("data-i")) : -1;
  };

  Explorer.prototype.onListKey = function (event) {
    var keys = { ArrowDown: 1, ArrowUp: -1, Home: "first", End: "last" };
    if (!(event.key in keys) || !event.target.closest("li.parley-ev")) {
      return;
    }
    var rendered = this.shown.slice(0, this.limit);
    var at = rendered.indexOf(this.rowIndex(event.target));
    var step = keys[event.key];
    var next = step === "first" ? 0 : step === "last" ? rendered.length - 1 : at + step;
    if (next < 0 || next >= rendered.length) {
      return;
    }
    event.preventDefault();
    this.focusRow(rendered[next]);
  };

  /** Roving focus: one row's button is the list's Tab stop. */
  Explorer.prototype.focusRow = function (k, quiet) {
    if (this.active >= 0 && this.rows[this.active]) {
      this.rows[this.active].querySelector("button.parley-ev-open").tabIndex = -1;
    }
    this.active = k;
    if (k < 0) {
      return;
    }
    var button = this.rows[k].querySelector("button.parley-ev-open");
    button.tabIndex = 0;
    if (!quiet) {
      button.focus();
    }
  };

  // --- the view ---

  /** Show the view `f`: list, count, chart, link (opts.link: write the fragment). */
  Explorer.prototype.apply = function (f, opts) {
    opts = opts || {};
    this.state = f;
    this.shown = this.match(f);
    if (f.selected && !Object.prototype.hasOwnProperty.call(this.byId, f.selected)) {
      f.selected = "";
    }
    var selected = f.selected ? this.byId[f.selected] : -1;
    if (selected >= 0 && this.shown.indexOf(selected) < 0) {
      f.selected = "";
      selected = -1;
    }
    if (selected >= 0) {
      this.limit = Math.max(this.limit, this.shown.indexOf(selected) + 1);
    }
    this.renderList();
    this.count.textContent = this.label("explorer_count", {
      n: this.shown.length,
      total: this.events.length,
    });
    this.markSelected(selected);
    if (selected < 0 && !this.card.hidden) {
      this.closeCard(false);
    }
    this.drawChart();
    this.writeLink(opts.link);
  };

  Explorer.prototype.renderList = function () {
    var fragment = document.createDocumentFragment();
    var end = Math.min(this.limit, this.shown.length);
    for (var n = 0; n < end; n++) {
      fragment.appendChild(this.rows[this.shown[n]]);
    }
    if (!this.shown.length) {
      fragment.appendChild(this.empty);
    }
    this.list.replaceChildren(fragment);
    var left = this.shown.length - end;
    this.more.hidden = left <= 0;
    this.more.textContent = this.label("explorer_more", { n: Math.min(left, CHUNK) });
    // The list's Tab stop: the selected row, else the first one shown.
    var stop = this.active;
    if (stop < 0 || this.shown.slice(0, end).indexOf(stop) < 0) {
      stop = end ? this.shown[0] : -1;
    }
    this.focusRow(stop, true);
  };

  Explorer.prototype.markSelected = function (k) {
    var previous = this.list.querySelector("li.parley-ev-current");
    if (previous) {
      previous.classList.remove("parley-ev-current");
      previous.removeAttribute("aria-current");
      previous.querySelector("button.parley-ev-open").setAttribute("aria-expanded", "false");
    }
    if (k >= 0) {
      this.rows[k].classList.add("parley-ev-current");
      this.rows[k].setAttribute("aria-current", "true");
    }
  };

  /** Select event `k` (list, chart or link): highlight it in both; opts.open shows its card. */
  Explorer.prototype.select = function (k, opts) {
    opts = opts || {};
    if (k < 0) {
      return;
    }
    this.state.selected = this.events[k].id;
    var at = this.shown.indexOf(k);
    if (at < 0) {
      // Selected from the chart while filtered out (a dimmed marker): show every event.
      var f = emptyFilter();
      f.selected = this.events[k].id;
      this.showControls(f);
      this.apply(f, { link: opts.link });
      at = this.shown.indexOf(k);
    }
    if (at >= this.limit) {
      this.limit = at + 1;
      this.renderList();
    }
    this.markSelected(k);
    this.focusRow(k, true);
    this.reveal(this.rows[k]);
    this.drawChart();
    this.writeLink(opts.link);
    if (opts.open) {
      this.openCard(k);
    }
  };

  /** Scroll the list to a row. Rows out of sight are not laid out (content-visibility) and
   *  are placed by an estimated height, so the rows near it take their real heights only
   *  once scrolled to: scroll again over the next frames until the row stays put. */
  Explorer.prototype.reveal = function (row) {
    var list = this.list;
    var frames = 6;
    var step = function () {
      var before = list.scrollTop;
      row.scrollIntoView({ block: "nearest" });
      if (--frames > 0 && list.scrollTop !== before) {
        requestAnimationFrame(step);
      }
    };
    row.scrollIntoView({ block: "nearest" });
    requestAnimationFrame(step);
  };

  Explorer.prototype.openCard = function (k) {
    var article = this.rows[k].querySelector("article").cloneNode(true);
    var button = article.querySelector("button.parley-ev-open");
    var heading = document.createElement("span"); // the card's title is not a control
    heading.textContent = button.textContent;
    button.replaceWith(heading);
    this.cardBody.replaceChildren(article);
    this.rows[k].querySelector("button.parley-ev-open").setAttribute("aria-expanded", "true");
    this.card.hidden = false;
    this.card.focus({ preventScroll: true });
    this.card.scrollIntoView({ block: "nearest" });
    this.root.setAttribute("data-card", this.events[k].id);
  };

  Explorer.prototype.closeCard = function (refocus) {
    this.card.hidden = true;
    this.cardBody.replaceChildren();
    this.root.removeAttribute("data-card");
    var k = this.state.selected ? this.byId[this.state.selected] : -1;
    if (k >= 0) {
      this.rows[k].querySelector("button.parley-ev-open").setAttribute("aria-expanded", "false");
      if (refocus && this.rows[k].isConnected) {
        this.rows[k].querySelector("button.parley-ev-open").focus();
      }
    }
  };

  Explorer.prototype.writeLink = function (write) {
    var frag = toFragment(this.state);
    this.here.textContent = location.pathname.split("/").pop() + (frag ? "#" + frag : "");
    this.here.setAttribute("href", "#" + frag);
    if (!write) {
      return;
    }
    this.written = frag;
    try {
      history.replaceState(null, "", frag ? "#" + frag : location.pathname + location.search);
    } catch (e) {
      // a browser refusing history on file://: the link above still carries the view
    }
  };

  /** Open what a fragment names: a share code, or filters and an event. */
  Explorer.prototype.openFragment = function (hash) {
    var self = this;
    var text = String(hash || "").replace(/^#/, "");
    var share = /(?:^|&)share=([^&]*)/.exec(text);
    if (share) {
      return fromShareCode(decode(share[1])).then(
        function (f) {
          self.open(f, true);
          return f;
        },
        function (err) {
          self.count.textContent = self.label("explorer_bad_code") + ": " + err.message;
          return null;
        }
      );
    }
    var f = fromFragment(text);
    this.open(f, false);
    return Promise.resolve(f);
  };

  Explorer.prototype.open = function (f, link) {
    this.limit = CHUNK;
    this.showControls(f);
    this.apply(f, { link: link });
    if (f.selected) {
      this.select(this.byId[f.selected], { open: true, link: link });
    }
  };

  // --- the chart ---

  /** The timeline chart this explorer goes with: the last chart before it on the page. */
  Explorer.prototype.findChart = function () {
    var self = this;
    var before = Array.prototype.filter.call(document.querySelectorAll(".parley-chart"), function (d) {
      return d.compareDocumentPosition(self.root) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    var div = before[before.length - 1];
    if (!div) {
      return;
    }
    this.chartDiv = div;
    // Charts may draw late (lazily, or redrawn for a new width): hook in whenever they do.
    var hook = function () {
      if (div.getAttribute("data-drawn") === "true" && div.on && div.data) {
        self.hookChart(div);
      }
    };
    new MutationObserver(hook).observe(div, {
      attributes: true,
      attributeFilter: ["data-drawn"],
    });
    hook();
  };

  Explorer.prototype.hookChart = function (div) {
    var self = this;
    if (div.__parleyExplorerClick) {
      div.removeListener("plotly_click", div.__parleyExplorerClick);
    }
    div.__parleyExplorerClick = function (event) {
      var point = event && event.points && event.points[0];
      if (!point) {
        return;
      }
      var id = Array.isArray(point.customdata) ? point.customdata[0] : point.customdata;
      if (Object.prototype.hasOwnProperty.call(self.byId, id)) {
        self.select(self.byId[id], { open: true, link: true });
      }
    };
    div.on("plotly_click", div.__parleyExplorerClick);
    if (!div.__parleyExplorerRepaint) {
      div.__parleyExplorerRepaint = function () {
        self.drawChart();
      };
      div.on("plotly_afterplot", div.__parleyExplorerRepaint);
    }
    this.chart = div;
    this.drawChart();
  };

  /** Dim the markers of events filtered out, outline the selected event's marker.
   *  Classes on plotly's own marker elements (main plot and range slider), not a restyle:
   *  a restyle redraws every trace and the range slider, far slower than the list at
   *  10,000 events. plotly rebuilds markers when it redraws, so this runs again after
   *  every plot (plotly_afterplot). */
  Explorer.prototype.drawChart = function () {
    var div = this.chart;
    if (!div || !div.data) {
      return;
    }
    var traces = div.data.length;
    var filtered = isFiltered(this.state);
    var keep = [];
    for (var t = 0; t < traces; t++) {
      keep.push(new Uint8Array((div.data[t].x || []).length));
    }
    for (var s = 0; filtered && s < this.shown.length; s++) {
      var m = this.events[this.shown[s]].m;
      if (m[0] >= 0 && m[0] < traces && m[1] < keep[m[0]].length) {
        keep[m[0]][m[1]] = 1;
      }
    }
    var selected = this.state.selected ? this.byId[this.state.selected] : -1;
    var hit = selected >= 0 ? this.events[selected].m : [-1, -1];
    div.querySelectorAll(".scatterlayer").forEach(function (layer) {
      layer.querySelectorAll(":scope > .trace").forEach(function (trace, t) {
        if (t >= traces) {
          return;
        }
        trace.querySelectorAll(".point").forEach(function (point, p) {
          point.classList.toggle("parley-dim", filtered && !keep[t][p]);
          point.classList.toggle("parley-hit", t === hit[0] && p === hit[1]);
        });
      });
    });
    div.setAttribute("data-parley-kept", filtered ? String(this.shown.length) : "all");
  };

  // --- start -----------------------------------------------------------------------------

  var explorers = Array.prototype.map.call(
    document.querySelectorAll("[data-parley-explorer]"),
    function (root) {
      return new Explorer(root);
    }
  );
  var first = explorers[0];
  var opened = first ? first.openFragment(location.hash) : Promise.resolve(null);

  window.parleyExplorer = {
    normalise: normalise,
    queryWords: queryWords,
    toFragment: toFragment,
    fromFragment: fromFragment,
    fromShareCode: fromShareCode,
    emptyFilter: emptyFilter,
    ready: opened,
    /** The ids a filter keeps (fields as in parley.tables.explore.Filter). */
    matchIds: function (f) {
      var filter = Object.assign(emptyFilter(), f || {});
      return first.match(filter).map(function (k) {
        return first.events[k].id;
      });
    },
    /** The ids shown in the list now (every chunk counted). */
    shownIds: function () {
      return first.shown.map(function (k) {
        return first.events[k].id;
      });
    },
    state: function () {
      return first.state;
    },
    apply: function (f) {
      first.open(Object.assign(emptyFilter(), f || {}), true);
    },
    explorer: first,
  };
})();
