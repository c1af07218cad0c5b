/* parley charts: draws the figures an export carries as inert JSON.
 *
 * Each chart is a <div class="parley-chart" id=…> followed by a
 * <script type="application/json" class="parley-chart-spec" data-chart=…> holding plotly's
 * figure JSON (with < > & escaped, so data can never close the script). plotly.js is
 * inlined once per page; decks draw a slide's charts when it is shown, pages in turn.
 */
(function () {
  "use strict";

  // No plotly.com logo link; charts follow the width of their box (slides, phones).
  var CONFIG = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
  };

  // A page carries a chart's page layout and, when it differs, its phone layout
  // (data-variant="phone"): a box narrower than this draws the phone one. A deck carries
  // its slides layout only.
  var PHONE_WIDTH = 600;

  /** The variant of the chart `div` shows at its width: "phone" or "" (its own). */
  function variantFor(div) {
    var phone = div.clientWidth > 0 && div.clientWidth < PHONE_WIDTH;
    return phone && specNode(div, "phone") ? "phone" : "";
  }

  function specNode(div, variant) {
    var selector = 'script.parley-chart-spec[data-chart="' + div.id + '"]';
    return document.querySelector(
      selector + (variant ? '[data-variant="' + variant + '"]' : ":not([data-variant])")
    );
  }

  function spec(div) {
    var variant = variantFor(div);
    div.setAttribute("data-variant", variant || "own");
    return JSON.parse(specNode(div, variant).textContent);
  }

  var measure = document.createElement("canvas").getContext("2d");

  /** The width in px of plotly text (pseudo-HTML: tags, entities, <br> lines) in `font`. */
  function labelWidth(text, font) {
    measure.font = font;
    return String(text)
      .split(/<br\s*\/?>/i)
      .map(function (line) {
        var plain = line.replace(/<[^>]*>/g, "").replace(/&[#a-zA-Z0-9]+;/g, "x");
        return measure.measureText(plain).width;
      })
      .reduce(function (a, b) {
        return Math.max(a, b);
      }, 0);
  }

  /** The tick labels a y axis shows: its ticktext, else its category names, in order. */
  function yLabels(axis, key, data) {
    if (Array.isArray(axis.ticktext)) {
      return axis.ticktext;
    }
    if (Array.isArray(axis.tickvals)) {
      return [];
    }
    var ref = "y" + key.slice(5); // yaxis2 → y2
    var seen = {};
    var labels = [];
    data.forEach(function (trace) {
      if ((trace.yaxis || "y") === ref && Array.isArray(trace.y)) {
        trace.y.forEach(function (v) {
          if (typeof v === "string" && !seen[v]) {
            seen[v] = true;
            labels.push(v);
          }
        });
      }
    });
    return labels;
  }

  var LEGEND_ITEM = 46; // px a legend item takes besides its text (symbol, gaps)

  /**
   * Margins measured here instead of by plotly, for figures that ask (layout.meta
   * .parley_margins === "measured": one x and one y axis, a one-row legend above the plot).
   * plotly's automatic margins measure every label in the page's layout and then draw the
   * chart a second time, a visible delay on a timeline's first draw. A canvas measures text without
   * any layout. Whenever the estimate could be wrong (a legend that would wrap, a phone
   * layout) the figure keeps plotly's own margins.
   */
  function measuredMargins(layout, data, width) {
    var legend = layout.legend || {};
    if (
      !layout.meta ||
      layout.meta.parley_margins !== "measured" ||
      legend.orientation !== "h" ||
      !(legend.y >= 1) ||
      legend.yref === "container"
    ) {
      return;
    }
    var size = (layout.font && layout.font.size) || 12;
    var font = size + "px " + ((layout.font && layout.font.family) || "sans-serif");
    var margin = Object.assign({ l: 80, r: 80, t: 100, b: 80 }, layout.margin || {});
    var xaxis = layout.xaxis || {};
    var widest = yLabels(layout.yaxis || {}, "yaxis", data).reduce(function (w, label) {
      return Math.max(w, labelWidth(label, font));
    }, 0);
    var l = Math.max(margin.l, Math.ceil(widest + 12));
    // The last date tick may sit at the right edge: room for half of the widest one.
    var sample = String(xaxis.tickformat || "%b %Y")
      .replace(/%Y/g, "0000")
      .replace(/%-?[md]/g, "00")
      .replace(/%b/g, "May");
    var r = Math.max(margin.r, Math.ceil(labelWidth(sample, font) / 2) + 4);
    var items = data.filter(function (trace) {
      return trace.showlegend !== false && trace.name;
    });
    var legendWidth = items.reduce(function (w, trace) {
      return w + LEGEND_ITEM + labelWidth(trace.name, font);
    }, 0);
    if (legendWidth > width - l - r) {
      return; // a legend in two rows: plotly knows its height, this estimate does not
    }
    // Tick labels below the plot, then the range slider (thickness × the plot's height).
    var slider = xaxis.rangeslider && xaxis.rangeslider.visible !== false;
    var thickness = slider ? xaxis.rangeslider.thickness || 0.15 : 0;
    var ticks = Math.ceil(size * 1.5);
    var b = slider
      ? Math.ceil((thickness * (layout.height - margin.t) + ticks + 24) / (1 + thickness))
      : ticks + 8;
    layout.margin = Object.assign({}, margin, { l: l, r: r, b: Math.max(margin.b, b) });
    layout.margin.autoexpand = false;
    layout.xaxis = Object.assign({}, xaxis, { automargin: false });
    layout.yaxis = Object.assign({}, layout.yaxis || {}, { automargin: false });
  }

  /** The height the figure was designed at (layout.height), used as a default. */
  function designHeight(div) {
    return Number(div.getAttribute("data-height")) || 450;
  }

  /**
   * Draw one chart. opts.height overrides the figure's height; opts.adapt(layout, div, data)
   * may adjust the layout (narrow screens). Resolves with the div once plotly has drawn.
   */
  function draw(div, opts) {
    opts = opts || {};
    var fig = spec(div); // parsed per draw: plotly keeps references into what it is given
    var layout = Object.assign({}, fig.layout);
    delete layout.width; // the box decides the width
    layout.autosize = true;
    layout.height = opts.height || layout.height || designHeight(div);
    if (opts.adapt) {
      opts.adapt(layout, div, fig.data);
    }
    measuredMargins(layout, fig.data, div.clientWidth);
    div.style.height = layout.height + "px";
    var config = Object.assign({}, fig.config || {}, CONFIG);
    return window.Plotly.newPlot(div, {
      data: fig.data,
      layout: layout,
      frames: fig.frames,
      config: config,
    }).then(function () {
      div.setAttribute("data-drawn", "true");
      return div;
    });
  }

  window.parleyCharts = {
    draw: draw,
    designHeight: designHeight,
    labelWidth: labelWidth,
    yLabels: yLabels,
    variantFor: variantFor,
    PHONE_WIDTH: PHONE_WIDTH,
  };
})();
