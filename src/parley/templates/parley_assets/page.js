/* parley static page: draws every chart, first to last, adapting each to narrow screens. */
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

  /** Phone layout: legend below, wrapped title, no drag-to-zoom (it would trap scrolling). */
  function adapt(layout, div) {
    var width = div.clientWidth;
    if (width >= NARROW) {
      return;
    }
    var size = 14;
    var title = Object.assign({}, layout.title || {});
    if (title.text) {
      title.text = wrapTitle(title.text, width - 24, size);
      title.font = Object.assign({}, title.font || {}, { size: size });
      title.automargin = true;
      title.yref = "container";
      title.y = 0.98;
      title.yanchor = "top";
    }
    layout.title = title;
    layout.legend = Object.assign({}, layout.legend || {}, {
      orientation: "h",
      x: 0,
      xanchor: "left",
      y: 0,
      yref: "container",
      yanchor: "bottom",
      font: { size: 11 },
    });
    layout.margin = Object.assign({}, layout.margin || {}, { l: 4, r: 4 });
    layout.dragmode = false;
    layout.height = Math.max(layout.height, 460);
  }

  var charts = Array.prototype.slice.call(document.querySelectorAll(".parley-chart"));
  var done = charts.reduce(function (previous, div) {
    return previous.then(function () {
      // A macrotask between charts lets the browser paint the first one at once.
      return new Promise(function (resolve) {
        setTimeout(resolve, 0);
      }).then(function () {
        return window.parleyCharts.draw(div, { adapt: adapt });
      });
    });
  }, Promise.resolve());
  done.then(function () {
    document.body.setAttribute("data-charts-drawn", String(charts.length));
  });
})();
