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

  function spec(div) {
    var node = document.querySelector(
      'script.parley-chart-spec[data-chart="' + div.id + '"]'
    );
    return JSON.parse(node.textContent);
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

  window.parleyCharts = { draw: draw, designHeight: designHeight };
})();
