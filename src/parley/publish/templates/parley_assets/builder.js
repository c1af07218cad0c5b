/* parley page scenario builder: a slider per issue, each side's verdict, the closest
 * scenario and the zone chart's settlement markers, computed in the browser.
 *
 * The judging is parley.tables.settlement (judge, crosses, distance_outside,
 * closest_scenario), implemented identically here against the limits the export embedded;
 * tests/cases/explorer.yaml runs the same settlements against both. Data reaches the page
 * as text only (textContent), never as markup.
 */
(function () {
  "use strict";

  /** Does `value` lie across the red line `at` from where the side stands? */
  function crosses(value, at, stance) {
    if (stance > at) return value < at;
    if (stance < at) return value > at;
    return false;
  }

  function distanceOutside(value, low, high) {
    if (value < low) return low - value;
    if (value > high) return value - high;
    return 0;
  }

  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  /** One verdict per side: {side, crossings: [[issue, at, text]], distance: [[issue, d]]}. */
  function judge(sides, settlement) {
    return sides.map(function (side) {
      var crossings = side.lines
        .filter(function (line) {
          return has(settlement, line[0]) && crosses(settlement[line[0]], line[1], line[2]);
        })
        .map(function (line) {
          return [line[0], line[1], line[3]];
        });
      var distance = side.ranges
        .filter(function (range) {
          return has(settlement, range[0]);
        })
        .map(function (range) {
          return [range[0], distanceOutside(settlement[range[0]], range[1], range[2])];
        });
      return { side: side.id, crossings: crossings, distance: distance };
    });
  }

  /** [scenario id, root-mean-square gap over shared issues]; ["", Infinity] when none. */
  function closest(scenarios, settlement) {
    var best = ["", Infinity];
    scenarios.forEach(function (scenario) {
      var sum = 0;
      var n = 0;
      scenario.outcomes.forEach(function (outcome) {
        if (has(settlement, outcome[0])) {
          var gap = settlement[outcome[0]] - outcome[1];
          sum += gap * gap;
          n += 1;
        }
      });
      if (!n) return;
      var rms = Math.sqrt(sum / n);
      if (rms < best[1]) best = [scenario.id, rms];
    });
    return best;
  }

  /** Python's format(d, "g") for the distances a 0.5-step slider makes. */
  function g(d) {
    return String(Number(d.toPrecision(6)));
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function Builder(root) {
    var self = this;
    this.root = root;
    this.data = JSON.parse(root.querySelector("script.parley-builder-data").textContent);
    this.form = root.querySelector("form.parley-b-form");
    this.result = root.querySelector(".parley-b-result");
    this.titles = {};
    this.data.issues.forEach(function (issue) {
      self.titles[issue.id] = issue.title;
    });
    this.sliders = Array.prototype.slice.call(this.form.querySelectorAll('input[type="range"]'));
    this.preset = this.form.elements.preset;
    this.form.addEventListener("input", function (event) {
      if (event.target.type === "range") {
        self.preset.value = "";
        self.update();
      }
    });
    this.preset.addEventListener("change", function () {
      self.choose(self.preset.value);
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    this.findChart();
    this.form.hidden = false;
    root.setAttribute("data-parley-ready", "true");
  }

  Builder.prototype.settlement = function () {
    var out = {};
    this.sliders.forEach(function (slider) {
      out[slider.name] = Number(slider.value);
    });
    return out;
  };

  Builder.prototype.set = function (values) {
    this.sliders.forEach(function (slider) {
      if (has(values, slider.name)) slider.value = String(values[slider.name]);
    });
    this.preset.value = "";
    return this.update();
  };

  Builder.prototype.choose = function (id) {
    var scenario = this.data.scenarios.filter(function (s) {
      return s.id === id;
    })[0];
    if (scenario) {
      var values = {};
      scenario.outcomes.forEach(function (o) {
        values[o[0]] = o[1];
      });
      this.set(values);
      this.preset.value = id;
    }
    return this.update();
  };

  Builder.prototype.update = function () {
    var self = this;
    var settlement = this.settlement();
    var labels = this.data.labels;
    this.sliders.forEach(function (slider) {
      var out = slider.parentNode.querySelector("output");
      if (out) out.textContent = Number(slider.value).toFixed(1);
    });
    var verdicts = judge(this.data.sides, settlement);
    var rows = verdicts.map(function (v, n) {
      var side = self.data.sides[n];
      var tr = el("tr");
      tr.setAttribute("data-side", v.side);
      var name = el("td");
      var dot = el("span", "●");
      dot.setAttribute("style", side.dot);
      name.append(dot, " " + side.name);
      var crossed = el("td");
      if (v.crossings.length) {
        v.crossings.forEach(function (c, i) {
          if (i) crossed.append(el("br"));
          crossed.append("✗ " + self.titles[c[0]] + ": " + c[2]);
        });
      } else {
        crossed.textContent = "✓ " + labels.builder_no_red_line;
      }
      var outside = v.distance
        .filter(function (d) {
          return d[1] > 0;
        })
        .map(function (d) {
          return self.titles[d[0]] + " (+" + g(d[1]) + ")";
        });
      var distance = el("td");
      if (!v.distance.length) {
        distance.textContent = labels.builder_no_ranges;
      } else if (outside.length) {
        distance.textContent = labels.builder_outside + ": " + outside.join(", ");
      } else {
        distance.textContent = "✓ " + labels.builder_inside;
      }
      tr.append(name, crossed, distance);
      return tr;
    });
    this.result.querySelector("tbody").replaceChildren.apply(
      this.result.querySelector("tbody"),
      rows
    );
    var best = closest(this.data.scenarios, settlement);
    var p = this.result.querySelector(".parley-b-closest");
    p.replaceChildren();
    p.setAttribute("data-scenario", best[0]);
    if (best[0]) {
      var title = this.data.scenarios.filter(function (s) {
        return s.id === best[0];
      })[0].title;
      p.append(el("b", labels.builder_closest + ":"));
      p.append(" " + title + " (" + labels.builder_rms + " " + best[1].toFixed(1) + ")");
    }
    this.moveMarkers(settlement);
    return { verdicts: verdicts, closest: best };
  };

  /** The zone chart this builder moves: the first chart after it on the page. */
  Builder.prototype.findChart = function () {
    var self = this;
    var after = Array.prototype.filter.call(document.querySelectorAll(".parley-chart"), function (d) {
      return self.root.compareDocumentPosition(d) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    var div = after[0];
    if (!div) return;
    var hook = function () {
      if (div.getAttribute("data-drawn") === "true" && div.data) {
        self.chart = div;
        self.moveMarkers(self.settlement());
      }
    };
    new MutationObserver(hook).observe(div, { attributes: true, attributeFilter: ["data-drawn"] });
    hook();
  };

  /** The settlement diamonds (the zone chart's last trace), as the widget moves them. */
  Builder.prototype.moveMarkers = function (settlement) {
    var div = this.chart;
    if (!div || !div.data || !div.data.length || !window.Plotly) return;
    var xs = [];
    var ys = [];
    this.data.rows.forEach(function (issue, k) {
      if (has(settlement, issue)) {
        xs.push(settlement[issue]);
        ys.push(k);
      }
    });
    window.Plotly.restyle(div, { x: [xs], y: [ys] }, [div.data.length - 1]);
  };

  var builders = Array.prototype.map.call(
    document.querySelectorAll("[data-parley-builder]"),
    function (root) {
      return new Builder(root);
    }
  );
  var first = builders[0];

  window.parleyBuilder = {
    judge: function (settlement) {
      return judge(first.data.sides, settlement);
    },
    closest: function (settlement) {
      return closest(first.data.scenarios, settlement);
    },
    set: function (values) {
      return first.set(values);
    },
    choose: function (id) {
      return first.choose(id);
    },
    builder: first,
  };
})();
