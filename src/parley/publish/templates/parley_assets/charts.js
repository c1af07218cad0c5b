/* parley charts: draws the figures an export carries as inert JSON.
 *
 * Each chart is a <div class="parley-chart" id=…> followed by a
 * <script type="application/json" class="parley-chart-spec" data-chart=…> holding plotly's
 * figure JSON (with < > & escaped, so data can never close the script). plotly.js is
 * inlined once per page; decks draw a slide's charts when it is shown, pages in turn.
 */
(function () {
  "use strict";

  // No toolbar (its buttons took keyboard focus while invisible and offered to upload the
  // chart to a cloud service); charts follow the width of their box (slides, phones).
  var CONFIG = {
    responsive: true,
    displaylogo: false,
    displayModeBar: false,
  };

  /** The interface labels the page carries (i18n.py, in the page's language). */
  var LABELS = (function () {
    var node = document.getElementById("parley-labels");
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (e) {
      return {};
    }
  })();

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

  /**
   * plotly's sliders and button menus are drawn in SVG: no keyboard reaches them, and their
   * grips are a few px wide on a phone. On pages they become HTML controls (a range input,
   * buttons, a select) that call the same plotly methods with the same arguments.
   */
  function takeControls(layout) {
    var taken = { sliders: layout.sliders || [], menus: layout.updatemenus || [], layout: layout };
    delete layout.sliders;
    delete layout.updatemenus;
    if (taken.sliders.length || taken.menus.length) {
      // The room plotly kept below or above the plot for its own controls.
      var margin = Object.assign({}, layout.margin || {});
      var below = taken.sliders.concat(taken.menus).some(function (c) {
        return c.y < 0;
      });
      if (below && margin.b) {
        margin.b = Math.max(60, margin.b - 70);
      }
      layout.margin = margin;
    }
    return taken;
  }

  function call(div, method, args) {
    if (!method || method === "skip" || typeof window.Plotly[method] !== "function") {
      return;
    }
    window.Plotly[method].apply(window.Plotly, [div].concat(args || []));
  }

  function plainLabel(text) {
    // Text only (set with textContent, never parsed): plotly labels are escaped pseudo-HTML.
    return String(text == null ? "" : text)
      .replace(/<br\s*\/?>/gi, " ")
      .replace(/<[^>]*>/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&");
  }

  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      el.setAttribute(key, attrs[key]);
    });
    if (text != null) {
      el.textContent = text;
    }
    return el;
  }

  function sliderControl(div, slider, n) {
    var steps = slider.steps || [];
    var wrap = element("div", { class: "parley-control parley-slider" });
    var id = div.id + "-slider-" + n;
    var prefix = plainLabel((slider.currentvalue || {}).prefix || "");
    var label = element("label", { for: id }, prefix.replace(/[:：]\s*$/, "") || LABELS.step || "");
    var input = element("input", {
      type: "range",
      id: id,
      min: "0",
      max: String(Math.max(0, steps.length - 1)),
      step: "1",
    });
    var active = slider.active == null ? steps.length - 1 : slider.active;
    input.value = String(active);
    var shown = element("output", { for: id });
    function show(i) {
      var text = plainLabel((steps[i] || {}).label);
      shown.textContent = text;
      input.setAttribute("aria-valuetext", text);
    }
    show(active);
    input.addEventListener("input", function () {
      var i = Number(input.value);
      show(i);
      call(div, steps[i].method, steps[i].args);
    });
    // Frames played by a play button move the range input too.
    div.on("plotly_animatingframe", function (event) {
      steps.forEach(function (step, i) {
        if (step.args && step.args[0] && step.args[0][0] === event.name) {
          input.value = String(i);
          show(i);
        }
      });
    });
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(shown);
    return wrap;
  }

  function menuControl(div, menu, n) {
    var buttons = (menu.buttons || []).filter(function (b) {
      return b.visible !== false;
    });
    var wrap = element("div", { class: "parley-control parley-menu" });
    if (menu.type === "buttons") {
      buttons.forEach(function (b) {
        var text = plainLabel(b.label);
        var attrs = { type: "button" };
        if (/^[\u25b6\u23f5]/.test(text)) {
          attrs["aria-label"] = LABELS.play || text;
        }
        var button = element("button", attrs, text);
        button.addEventListener("click", function () {
          call(div, b.method, b.args);
        });
        wrap.appendChild(button);
      });
      return wrap;
    }
    var id = div.id + "-menu-" + n;
    var select = element("select", { id: id });
    buttons.forEach(function (b, i) {
      select.appendChild(element("option", { value: String(i) }, plainLabel(b.label)));
    });
    select.value = String(menu.active || 0);
    select.addEventListener("change", function () {
      var b = buttons[Number(select.value)];
      call(div, b.method, b.args);
    });
    wrap.appendChild(element("label", { for: id }, LABELS.show || ""));
    wrap.appendChild(select);
    return wrap;
  }

  /** A date axis's range slider is dragged with a mouse only: two date fields set the same
   *  range from the keyboard (and follow the slider when it is dragged). */
  function rangeControl(div, layout) {
    // (a phone hides the slider itself: its grip is a few px wide; the fields stay)
    var axis = layout.xaxis || {};
    if (!axis.rangeslider || div._fullLayout.xaxis.type !== "date") {
      return null;
    }
    var wrap = element("div", { class: "parley-control parley-range" });
    var full = (div._fullLayout.xaxis.range || []).map(function (d) {
      return String(d).slice(0, 10);
    });
    var fields = ["range_from", "range_to"].map(function (key, i) {
      var id = div.id + "-" + key;
      var input = element("input", { type: "date", id: id, value: full[i] || "" });
      wrap.appendChild(element("label", { for: id }, LABELS[key] || ""));
      wrap.appendChild(input);
      return input;
    });
    fields.forEach(function (input) {
      input.addEventListener("change", function () {
        var a = fields[0].value;
        var b = fields[1].value;
        if (a && b && a < b) {
          window.Plotly.relayout(div, { "xaxis.range": [a, b] });
        }
      });
    });
    div.on("plotly_relayout", function () {
      var now = div._fullLayout.xaxis.range || [];
      fields.forEach(function (input, i) {
        if (document.activeElement !== input && now[i]) {
          input.value = String(now[i]).slice(0, 10);
        }
      });
    });
    return wrap;
  }

  /** The chart's own controls and its download button, in a bar above the chart. */
  function controlBar(div, taken, title) {
    var old = div.parentNode.querySelector('.parley-controls[data-chart="' + div.id + '"]');
    if (old) {
      old.parentNode.removeChild(old);
    }
    var bar = element("div", {
      class: "parley-controls",
      "data-chart": div.id,
      role: "group",
      "aria-label": title,
    });
    taken.menus.forEach(function (menu, i) {
      bar.appendChild(menuControl(div, menu, i));
    });
    taken.sliders.forEach(function (slider, i) {
      bar.appendChild(sliderControl(div, slider, i));
    });
    var range = rangeControl(div, taken.layout);
    if (range) {
      bar.appendChild(range);
    }
    var download = element("button", { type: "button", class: "parley-download" }, LABELS.download_png || "PNG");
    download.addEventListener("click", function () {
      window.Plotly.downloadImage(div, {
        format: "png",
        filename: div.getAttribute("data-name") || div.id,
        width: div.clientWidth,
        height: div.clientHeight,
      });
    });
    var tools = div.parentNode.querySelector('.parley-chart-tools[data-chart="' + div.id + '"]');
    if (tools) {
      tools.insertBefore(download, tools.firstChild);
    } else {
      bar.appendChild(download);
    }
    if (bar.childNodes.length) {
      div.parentNode.insertBefore(bar, div);
    }
  }

  /** The figure as a wide page first shows it: what the export's static picture draws. */
  function forPicture(fig, width) {
    var layout = Object.assign({}, fig.layout);
    delete layout.width;
    layout.height = layout.height || 450;
    takeControls(layout);
    measuredMargins(layout, fig.data, width);
    return { data: fig.data, layout: layout, config: { staticPlot: true } };
  }

  /** The height the figure was designed at (layout.height), used as a default. */
  function designHeight(div) {
    return Number(div.getAttribute("data-height")) || 450;
  }

  /**
   * A page's timeline markers stand for events whose details (summary, sources) the
   * explorer's card holds (the hover shows only title and date): on a page without the
   * explorer, a click on a marker opens the event there (layout.meta.parley_events names
   * the explorer's page; the marker's first custom datum is the event id).
   */
  function openEvents(div, meta) {
    var page = meta.parley_events;
    if (typeof page !== "string" || document.querySelector("[data-parley-explorer]")) {
      return;
    }
    if (div.__parleyOpenEvent) {
      div.removeListener("plotly_click", div.__parleyOpenEvent);
    }
    div.__parleyOpenEvent = function (event) {
      var point = event && event.points && event.points[0];
      var id = point && (Array.isArray(point.customdata) ? point.customdata[0] : point.customdata);
      if (typeof id === "string" && id) {
        window.location.href = page + "#event=" + encodeURIComponent(id);
      }
    };
    div.on("plotly_click", div.__parleyOpenEvent);
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
    var taken = opts.controls ? takeControls(layout) : null;
    if (opts.controls) {
      // A legend entry hides its trace on click, but no keyboard reaches plotly's SVG: on
      // pages the legend is a key only (the explorer's and menus' HTML controls filter).
      layout.legend = Object.assign({}, layout.legend || {}, {
        itemclick: false,
        itemdoubleclick: false,
      });
    }
    if (opts.adapt) {
      opts.adapt(layout, div, fig.data, fig.frames || []);
    }
    measuredMargins(layout, fig.data, div.clientWidth);
    div.style.height = layout.height + "px";
    div.setAttribute("data-drawing", "true"); // the static picture steps aside
    var config = Object.assign({}, fig.config || {}, CONFIG);
    return window.Plotly.newPlot(div, {
      data: fig.data,
      layout: layout,
      frames: fig.frames,
      config: config,
    }).then(function () {
      if (taken) {
        controlBar(div, taken, plainLabel((layout.title || {}).text || ""));
      }
      if (opts.controls) {
        openEvents(div, layout.meta || {});
      }
      div.setAttribute("data-drawn", "true");
      return div;
    });
  }

  window.parleyCharts = {
    draw: draw,
    forPicture: forPicture,
    labels: LABELS,
    designHeight: designHeight,
    labelWidth: labelWidth,
    yLabels: yLabels,
    variantFor: variantFor,
    PHONE_WIDTH: PHONE_WIDTH,
  };
})();
