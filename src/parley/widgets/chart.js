// parley's Chart widget front end (an anywidget module; the kernel side is chart.py).
//
// It draws with plotly.js's documented API only (newPlot, react, restyle, relayout,
// Plots.resize, purge) on the plotly.js the kernel sends once per page: every Chart refers
// to one PlotlyJS widget holding the bundle's source, and the first chart on a page runs it
// (the promise is kept on globalThis, so later charts, and charts of other kernels on the
// same page, reuse it).
//
// A chart far below the fold is drawn when the reader scrolls towards it (within a screen of
// the viewport), not on load: a page of seven charts drew them all before its first was live,
// and on a shared machine that drawing was most of what a page cost (the app bench). Until
// it is drawn a chart keeps its box at the figure's height, so the page does not jump and
// the charts below stay below.
//
// The state (_figure_data, _figure_layout, _figure_rev) is the figure as of the kernel's
// last sync; later changes arrive as custom messages numbered by revision. A view draws the
// state, then applies the messages that follow the revision it drew, in order; a view that
// missed one (it was created after it was sent) waits for the next state, which the kernel
// writes once idle.

const REF = "IPY_MODEL_";
const CACHE = "__parleyPlotly";

/** A script's text run once as a classic <script> (from a Blob URL); resolves with the
 * Plotly object it defines, leaving any Plotly the page had before in place. */
function runBundle(source) {
  return new Promise((resolve, reject) => {
    const before = globalThis.Plotly;
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    const script = document.createElement("script");
    script.src = url;
    script.onload = () => {
      const Plotly = globalThis.Plotly;
      if (before !== undefined) {
        globalThis.Plotly = before;
      }
      URL.revokeObjectURL(url);
      Plotly ? resolve(Plotly) : reject(new Error("plotly.js did not define Plotly"));
    };
    script.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error("plotly.js could not be loaded"));
    };
    document.head.appendChild(script);
  });
}

/** The Plotly object for the bundle the chart refers to, loaded once per page. */
async function plotlyFor(model) {
  const ref = model.get("_plotly");
  const id = typeof ref === "string" && ref.startsWith(REF) ? ref.slice(REF.length) : ref;
  const library = await model.widget_manager.get_model(id);
  const name = library.get("name");
  const cache = (globalThis[CACHE] = globalThis[CACHE] || {});
  if (!cache[name]) {
    cache[name] = runBundle(library.get("source"));
  }
  return cache[name];
}

const clone = (value) => (value === undefined ? value : structuredClone(value));

// How near the viewport a chart's box must come to be drawn: one screen above or below.
const NEAR = "100% 0px";
const PLOTLY_HEIGHT = 450; // plotly.js's default layout height

/** The element `el` scrolls in (Voilà's and JupyterLab's pages scroll a panel, not the
 * document); null: the viewport. The margin around the viewport applies to it. */
function scroller(el) {
  const page = [document.body, document.documentElement];
  for (let node = el.parentElement; node && !page.includes(node); node = node.parentElement) {
    const scrolls = /^(auto|scroll|overlay)$/.test(getComputedStyle(node).overflowY);
    if (scrolls && node.scrollHeight > node.clientHeight) {
      return node;
    }
  }
  return null;
}

/** Resolves once `el` is laid out with a width (a view is rendered before it is attached)
 * and is within a screen of what its reader sees. */
function laidOutAndNear(el, signal) {
  return new Promise((resolve) => {
    let seen = null; // watches how near the view is, once it is laid out
    const sized = new ResizeObserver(() => {
      if (seen || !el.isConnected || el.clientWidth <= 0) {
        return;
      }
      seen = new IntersectionObserver(
        (entries) => {
          if (entries.some((entry) => entry.isIntersecting)) {
            done();
            resolve();
          }
        },
        { root: scroller(el), rootMargin: NEAR },
      );
      seen.observe(el);
    });
    const done = () => {
      sized.disconnect();
      seen?.disconnect();
    };
    sized.observe(el);
    signal?.addEventListener("abort", done);
  });
}

function render({ model, el, signal }) {
  const div = document.createElement("div");
  div.className = "parley-chart-widget";
  el.appendChild(div);

  let Plotly = null; // the plotly.js that drew div
  let shown = -1; // the revision of the figure this view shows (or has queued)
  // The figure's height, held until the first draw (so that an undrawn chart takes its room).
  div.style.minHeight = `${(model.get("_figure_layout") || {}).height || PLOTLY_HEIGHT}px`;
  let queue = laidOutAndNear(el, signal);
  const run = (step) => {
    queue = queue.then(step).catch((err) => console.warn("parley chart:", err));
  };

  const config = () => ({ ...(model.get("_config") || {}) });

  /** Draw the state (the first draw, a missed message, another bundle). */
  const drawState = () => {
    const data = clone(model.get("_figure_data"));
    const layout = clone(model.get("_figure_layout"));
    shown = model.get("_figure_rev");
    run(async () => {
      const wanted = await plotlyFor(model);
      if (Plotly && Plotly !== wanted) {
        Plotly.purge(div);
      }
      const first = Plotly !== wanted;
      Plotly = wanted;
      await Plotly.react(div, data, layout, config());
      div.style.minHeight = "";
      if (first) {
        div.on("plotly_click", (event) => {
          const point = event && event.points && event.points[0];
          if (point) {
            const index = point.pointNumber ?? (point.pointNumbers || [])[0];
            model.send({ event: "click", trace: point.curveNumber, point: index });
          }
        });
      }
    });
  };

  const onMessage = (msg) => {
    if (msg.type === "fit") {
      run(() => Plotly && Plotly.Plots.resize(div));
      return;
    }
    if (msg.rev <= shown) {
      return; // already in the state this view drew
    }
    if (msg.rev !== shown + 1) {
      shown = Infinity; // a message missed: redraw from the next state the kernel writes
      return;
    }
    shown = msg.rev;
    if (msg.type === "react") {
      const { data, layout } = msg;
      run(() => Plotly.react(div, data, layout, config()));
    } else if (msg.type === "restyle") {
      const { update, traces } = msg;
      run(() => Plotly.restyle(div, update, traces));
    } else if (msg.type === "relayout") {
      const { update } = msg;
      run(() => Plotly.relayout(div, update));
    }
  };

  const onState = () => {
    if (shown === Infinity || model.get("_figure_rev") > shown) {
      drawState();
    }
  };

  // Follow the box: a panel or window resize redraws at the new width.
  let width = 0;
  const resized = new ResizeObserver(() => {
    const now = el.clientWidth;
    if (Plotly && now > 0 && Math.abs(now - width) > 1) {
      width = now;
      run(() => Plotly.Plots.resize(div));
    } else if (now > 0) {
      width = now;
    }
  });
  resized.observe(el);

  drawState();
  model.on("msg:custom", onMessage);
  model.on("change:_figure_rev", onState); // (the kernel moves it with _plotly too)
  return () => {
    resized.disconnect();
    model.off("msg:custom", onMessage);
    model.off("change:_figure_rev", onState);
    if (Plotly) {
      Plotly.purge(div);
    }
  };
}

export default { render };
