/* parley static page: draws each chart as it nears the viewport, adapting it to narrow screens. */
(function () {
  "use strict";

  var NARROW = 600; // px: below this a chart gets the phone layout

  // Units a title may break between: a tag (<b>), spaces, one CJK character, or a latin
  // word (entities such as &amp; kept whole: plotly text is escaped pseudo-HTML).
  var CJK = /[\u3000-\u9fff\uff00-\uffef]/;
  var UNIT = /<[^>]*>|\s+|[\u3000-\u9fff\uff00-\uffef]|(?:&[#a-zA-Z0-9]+;|[^\s<\u3000-\u9fff\uff00-\uffef])+/g;

  function unitWidth(unit, size) {
    if (unit.charAt(0) === "<") {
      return 0;
    }
    if (/^\s+$/.test(unit)) {
      return size * 0.3;
    }
    if (CJK.test(unit)) {
      return size;
    }
    return unit.replace(/&[#a-zA-Z0-9]+;/g, "x").length * size * 0.55;
  }

  /** Break a chart title into lines that fit `width` px at `size` px (plotly never wraps). */
  function wrapTitle(text, width, size) {
    if (!text || text.indexOf("<br") >= 0) {
      return text;
    }
    var lines = [];
    var line = "";
    var used = 0;
    (text.match(UNIT) || []).forEach(function (unit) {
      var space = /^\s+$/.test(unit);
      var w = unitWidth(unit, size);
      if (!space && line && used + w > width) {
        lines.push(line.trim());
        line = "";
        used = 0;
      }
      if (!(space && !line)) {
        line += unit;
        used += w;
      }
    });
    if (line.trim()) {
      lines.push(line.trim());
    }
    return lines.join("<br>");
  }

  // Shared with charts.js (loaded first): text measured on a canvas, a y axis's labels.
  var labelWidth = window.parleyCharts.labelWidth;
  var yLabels = window.parleyCharts.yLabels;

  function axisKeys(layout, letter) {
    var pattern = new RegExp("^" + letter + "axis\\d*$");
    var keys = Object.keys(layout).filter(function (key) {
      return pattern.test(key);
    });
    return keys.indexOf(letter + "axis") < 0 ? keys.concat([letter + "axis"]) : keys;
  }

  var TITLE_SIZE = 14; // px, a title on a phone
  var TITLE_LINE = 19; // px a line of it takes
  var TITLE_TOP = 24; // px from the chart's top to where plotly is asked to put the title

  /** The title wraps (plotly never does) in a smaller font, with room made above the plot.
   *  Placed here, not by plotly's title automargin: with a title of two lines or more,
   *  plotly (4.1) drew it about one line too high, the first line above the chart's top
   *  edge and hidden (a 360 px screen, "What each side's officials and analysts said").
   *  `layout.height` is the chart's final height. */
  function phoneTitle(layout, width) {
    var title = Object.assign({}, layout.title || {});
    var lines = 0;
    if (title.text) {
      title.text = wrapTitle(title.text, width - 24, TITLE_SIZE);
      lines = title.text.split("<br>").length;
      title.font = Object.assign({}, title.font || {}, { size: TITLE_SIZE });
      title.automargin = false;
      title.yref = "container";
      title.y = 1 - TITLE_TOP / layout.height;
      title.yanchor = "top";
    }
    layout.title = title;
    // The chart's own side margins stay (they can hold annotations).
    layout.margin = Object.assign({}, layout.margin || {}, {
      t: lines ? TITLE_TOP + 14 + TITLE_LINE * lines : 24,
    });
  }

  /** The legend goes below everything, in rows. */
  function phoneLegend(layout) {
    layout.legend = Object.assign({}, layout.legend || {}, {
      orientation: "h",
      x: 0,
      xanchor: "left",
      y: 0,
      yref: "container",
      yanchor: "bottom",
      font: { size: 11 },
    });
  }

  /** Legend entries wrap (plotly never does): on a 320 px screen one long name, a
   *  scenario or "Comments printed in the original article (opinion)", ran past the
   *  chart's right edge. (A trace's name shows in its legend entry only: every hover here
   *  has its own text.) */
  function phoneLegendNames(data, width) {
    data.forEach(function (trace) {
      if (typeof trace.name === "string" && trace.showlegend !== false) {
        trace.name = wrapTitle(trace.name, width - 80, 11);
      }
    });
  }

  /** Long x-axis titles wrap; where sliders or buttons sit below the plot there is no room
   *  for them at all (the figure's description above the chart names the axes). */
  function phoneXTitles(layout, width) {
    var controlsBelow = ["sliders", "updatemenus"].some(function (kind) {
      return (layout[kind] || []).some(function (control) {
        return control.y < 0.05;
      });
    });
    axisKeys(layout, "x").forEach(function (key) {
      var axis = layout[key];
      if (axis && axis.title && axis.title.text) {
        // Centred on the plot area, which the y labels push right: about half the width.
        var text = controlsBelow ? "" : wrapTitle(axis.title.text, width * 0.55, 13);
        layout[key] = Object.assign({}, axis, {
          title: Object.assign({}, axis.title, {
            text: text,
            font: Object.assign({}, axis.title.font || {}, { size: 13 }),
          }),
        });
      }
    });
  }

  /** Long y tick labels (issues, lanes) would squeeze the plot into a sliver: wrap them to
   *  a third of the width. */
  function phoneYLabels(layout, width, data) {
    var font = "12px " + getComputedStyle(document.body).fontFamily;
    axisKeys(layout, "y").forEach(function (key) {
      var axis = Object.assign({}, layout[key] || {});
      var labels = yLabels(axis, key, data);
      var long = labels.some(function (t) {
        return labelWidth(t, font) > width / 3;
      });
      if (axis.side === "right" || !long) {
        return;
      }
      axis.tickmode = "array";
      axis.tickvals = axis.tickvals || labels;
      axis.ticktext = labels.map(function (t) {
        return wrapTitle(t, width / 3, 12);
      });
      axis.tickfont = Object.assign({}, axis.tickfont || {}, { size: 11 });
      layout[key] = axis;
    });
  }

  /** Hover texts wrapped to fit the screen: each line (plotly never wraps) broken at the
   *  width a phone has for a label. */
  function phoneHovers(traces, width) {
    traces.forEach(function (trace) {
      var wrapOne = function (text) {
        return typeof text !== "string"
          ? text
          : text
              .split(/<br\s*\/?>/i)
              .map(function (line) {
                return wrapTitle(line, width, 11);
              })
              .join("<br>");
      };
      if (Array.isArray(trace.hovertext)) {
        trace.hovertext = trace.hovertext.map(wrapOne);
      } else if (typeof trace.hovertext === "string") {
        trace.hovertext = wrapOne(trace.hovertext);
      }
    });
  }

  /** Phone layout; no drag-to-zoom either (on a touch screen it would trap scrolling). */
  function adapt(layout, div, data, frames) {
    var width = div.clientWidth;
    if (width >= NARROW) {
      return;
    }
    layout.height = Math.max(layout.height, 460);
    phoneTitle(layout, width);
    phoneLegend(layout);
    phoneLegendNames(data, width);
    phoneXTitles(layout, width);
    phoneYLabels(layout, width, data);
    layout.dragmode = false;
    // A range slider's grip is a few px wide on a phone: the date fields above the chart
    // (charts.js) set the range instead.
    if (layout.xaxis && layout.xaxis.rangeslider) {
      layout.xaxis = Object.assign({}, layout.xaxis, {
        rangeslider: Object.assign({}, layout.xaxis.rangeslider, { visible: false }),
      });
    }
    // Hover labels stay narrow enough for the screen.
    var room = Math.min(width, window.innerWidth) - 60;
    phoneHovers(data, room);
    (frames || []).forEach(function (frame) {
      phoneHovers(frame.data || [], room);
    });
    layout.hoverlabel = Object.assign({}, layout.hoverlabel || {}, {
      font: Object.assign({}, (layout.hoverlabel || {}).font || {}, { size: 11 }),
      align: "left",
    });
  }

  var charts = Array.prototype.slice.call(document.querySelectorAll(".parley-chart"));
  var drawn = 0;
  var queue = Promise.resolve();

  // One chart at a time; a macrotask before each lets the browser paint what is drawn.
  function drawSoon(div) {
    if (div.getAttribute("data-queued")) {
      return queue;
    }
    div.setAttribute("data-queued", "true");
    queue = queue
      .then(function () {
        return new Promise(function (resolve) {
          setTimeout(resolve, 0);
        });
      })
      .then(function () {
        var picture = div.previousElementSibling;
        if (picture && picture.classList.contains("parley-chart-picture")) {
          picture.hidden = true;
        }
        return window.parleyCharts.draw(div, { adapt: adapt, controls: true });
      })
      .then(function () {
        drawn += 1;
        document.body.setAttribute("data-charts-drawn", String(drawn));
      });
    return queue;
  }

  /** What stands for the chart in the layout before it is drawn: its static picture. */
  function placeholder(div) {
    var picture = div.previousElementSibling;
    return picture && picture.classList.contains("parley-chart-picture") ? picture : div;
  }

  // Charts are drawn as they come near the viewport (the static picture shows until then);
  // the first is drawn at once. Printing shows each picture where no live chart was drawn.
  if (!("IntersectionObserver" in window)) {
    charts.forEach(drawSoon);
  } else {
    var byBox = new Map();
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            drawSoon(byBox.get(entry.target));
          }
        });
      },
      { rootMargin: "400px 0px" }
    );
    charts.forEach(function (div) {
      var box = placeholder(div);
      byBox.set(box, div);
      observer.observe(box);
    });
  }
  window.parleyPage = { drawAll: function () {
    charts.forEach(drawSoon);
    return queue;
  } };
})();
