/* parley deck: makes every slide fit 1280×720, then draws a slide's charts when it is shown.
 *
 * Before reveal.js starts, slides too tall for the frame are split at cell boundaries (and
 * long lists at item boundaries) into "continued" slides placed *below* the slide they come
 * from, so #/N keeps naming the notebook's N-th slide whatever the content's length; linear
 * navigation walks through them. When a slide is shown, its charts share the height its
 * text leaves free, and text that still does not fit shrinks a little.
 */
(function () {
  "use strict";

  var W = 1280;
  var H = 720;
  var SAFE = 32; // px kept free above and below (the build stamp, the controls)
  var ROOM = H - 2 * SAFE;
  var MIN_CHART = 300; // px: a chart never gets shorter than this
  var MAX_CHART = 640;
  var MIN_FONT = 70; // %: text never shrinks below this
  var slides = document.querySelector(".reveal .slides");
  var lang = document.documentElement.lang;
  var each = function (list, fn) {
    return Array.prototype.map.call(list, fn);
  };

  function leafSections() {
    return Array.prototype.filter.call(slides.querySelectorAll("section"), function (s) {
      return !s.querySelector("section");
    });
  }

  function blocksOf(section) {
    return Array.prototype.filter.call(section.children, function (child) {
      return !child.matches("aside.notes");
    });
  }

  // nbconvert wraps a notes cell in <aside class="notes">; nb.notes() brings its own aside,
  // and the notes plugin would read the text twice.
  function unwrapNestedNotes() {
    each(document.querySelectorAll("aside.notes aside.notes"), function (inner) {
      inner.replaceWith.apply(inner, Array.prototype.slice.call(inner.childNodes));
    });
  }

  // reveal.js takes every <section> under .slides for a slide; the content's own sections
  // (a chapter's hook, its key points) become divs, keeping their attributes.
  function demoteContentSections() {
    each(slides.querySelectorAll(".jp-Cell section"), function (inner) {
      var div = document.createElement("div");
      each(inner.attributes, function (attr) {
        div.setAttribute(attr.name, attr.value);
      });
      div.classList.add("parley-section");
      div.append.apply(div, Array.prototype.slice.call(inner.childNodes));
      inner.replaceWith(div);
    });
  }

  /**
   * The deck-only outputs that take no room (speaker notes, a chapter's mark) leave their
   * output boxes, whose padding would otherwise cost a full slide a few pixels: the notes go
   * to the end of their slide, a chapter's mark to its start.
   */
  function liftDeckMarks() {
    each(slides.querySelectorAll(".jp-OutputArea-output"), function (output) {
      var only = output.children.length === 1 ? output.firstElementChild : null;
      if (!only || only.closest("aside.notes aside.notes, aside.notes .jp-Cell")) {
        return;
      }
      var isNotes = only.matches("aside.notes");
      if (!isNotes && !only.matches(".parley-chapter")) {
        return;
      }
      var leaf = output.closest("section");
      var box = output.closest(".jp-OutputArea-child") || output;
      if (isNotes) {
        leaf.appendChild(only);
      } else {
        leaf.insertBefore(only, leaf.firstChild);
      }
      box.remove();
    });
  }

  /** Copies of `block`, each keeping one run of its longest visible list's items. */
  function splitLongBlock(block) {
    var lists = Array.prototype.filter.call(
      block.querySelectorAll("ul, ol, tbody"),
      function (l) {
        return l.offsetHeight > 0 && l.children.length > 1;
      }
    );
    if (!lists.length) {
      return [block];
    }
    var list = lists.reduce(function (a, b) {
      return b.offsetHeight > a.offsetHeight ? b : a;
    });
    var index = Array.prototype.indexOf.call(block.querySelectorAll("ul, ol, tbody"), list);
    var room = ROOM - (block.offsetHeight - list.offsetHeight);
    var runs = [];
    var run = [];
    var top = 0;
    each(list.children, function (item, i) {
      if (run.length && item.offsetTop + item.offsetHeight - top > room) {
        runs.push(run);
        run = [];
      }
      if (!run.length) {
        top = item.offsetTop;
      }
      run.push(i);
    });
    runs.push(run);
    if (runs.length < 2) {
      return [block];
    }
    var start = Number(list.getAttribute("start")) || 1;
    return runs.map(function (keep, n) {
      var copy = block.cloneNode(true);
      if (n > 0) {
        each(copy.querySelectorAll("[id]"), function (el) {
          el.removeAttribute("id");
        });
        copy.removeAttribute("id");
      }
      var copyList = copy.querySelectorAll("ul, ol, tbody")[index];
      each(Array.prototype.slice.call(copyList.children), function (item, i) {
        if (keep.indexOf(i) < 0) {
          item.remove();
        }
      });
      if (copyList.tagName === "OL") {
        copyList.setAttribute("start", String(start + keep[0]));
      }
      return copy;
    });
  }

  /** Move the blocks that do not fit into new sections placed right after `leaf`. */
  function paginate(leaf) {
    if (leaf.scrollHeight <= ROOM) {
      return;
    }
    blocksOf(leaf).forEach(function (block) {
      if (block.offsetHeight > ROOM) {
        var parts = splitLongBlock(block);
        if (parts.length > 1) {
          block.replaceWith.apply(block, parts);
        }
      }
    });
    var pages = [[]];
    var top = null;
    blocksOf(leaf).forEach(function (block) {
      var page = pages[pages.length - 1];
      if (top === null) {
        top = block.offsetTop;
      }
      if (page.length && block.offsetTop + block.offsetHeight - top > ROOM) {
        pages.push([]);
        top = block.offsetTop;
      }
      pages[pages.length - 1].push(block);
    });
    var after = leaf;
    var notes = leaf.querySelectorAll("aside.notes");
    pages.slice(1).forEach(function (page) {
      var section = document.createElement("section");
      section.className = "parley-continued";
      section.setAttribute("data-parley-label", lang === "ja" ? "(続き)" : "(continued)");
      page.forEach(function (block) {
        section.appendChild(block);
      });
      // A continued slide is said over with the notes of the slide it continues.
      each(notes, function (aside) {
        section.appendChild(aside.cloneNode(true));
      });
      after.after(section);
      after = section;
    });
  }

  function paginateAll() {
    // Lay every slide out at its final size (reveal.js has not started yet), charts at
    // their smallest height, and measure.
    each(slides.querySelectorAll(".parley-chart"), function (div) {
      div.style.height = MIN_CHART + "px";
    });
    slides.classList.add("parley-measure");
    leafSections().forEach(paginate);
    slides.classList.remove("parley-measure");
  }

  /** Give a shown slide's charts the free height, shrink text that overflows, draw. */
  function fit(section) {
    if (!section || section.hasAttribute("data-parley-fit") || !section.offsetWidth) {
      return Promise.resolve();
    }
    section.setAttribute("data-parley-fit", "pending");
    var charts = section.querySelectorAll(".parley-chart");
    var height = 0;
    if (charts.length) {
      var free = ROOM - section.scrollHeight; // charts are at MIN_CHART now
      height = Math.floor(
        Math.max(MIN_CHART, Math.min(MAX_CHART, MIN_CHART + free / charts.length))
      );
      each(charts, function (div) {
        div.style.height = height + "px";
      });
    }
    for (var pct = 95; section.scrollHeight > ROOM && pct >= MIN_FONT; pct -= 5) {
      section.style.fontSize = pct + "%";
    }
    var resized = charts.length > 0 || section.style.fontSize !== "";
    return Promise.all(
      each(charts, function (div) {
        return window.parleyCharts.draw(div, { height: height });
      })
    ).then(function () {
      // Re-centre the shown slide at its final height (one layout pass). A slide fitted
      // ahead of time needs none: reveal.js lays the deck out when it moves to a slide.
      if (resized && section === window.Reveal.getCurrentSlide()) {
        window.Reveal.layout();
      }
      section.setAttribute("data-parley-fit", "done");
    });
  }

  /** Fit the shown slide, then the next one while the presenter talks. */
  function onShow(event) {
    var current = event.currentSlide;
    fit(current).then(function () {
      var all = window.Reveal.getSlides();
      return fit(all[all.indexOf(current) + 1]);
    });
  }

  /**
   * Number the citations in slide order ("[3]", the same number for the same source
   * everywhere, speaker notes included) and keep, in that order, the entries of the deck's
   * source list they cite: item n of the list is source [n].
   */
  function numberCitations() {
    var numbers = {};
    var count = 0;
    each(slides.querySelectorAll(".parley-cite"), function (cite) {
      var id = cite.getAttribute("data-source");
      if (!numbers[id]) {
        count += 1;
        numbers[id] = count;
      }
      cite.textContent = "[" + numbers[id] + "]";
      cite.setAttribute("data-number", String(numbers[id]));
    });
    var appendix = slides.querySelector(".parley-appendix");
    if (!appendix) {
      return;
    }
    var list = appendix.querySelector("ol");
    var items = Array.prototype.slice.call(list.children);
    items.forEach(function (item) {
      item.remove();
    });
    items
      .filter(function (item) {
        return numbers[item.getAttribute("data-source")];
      })
      .sort(function (a, b) {
        return numbers[a.getAttribute("data-source")] - numbers[b.getAttribute("data-source")];
      })
      .forEach(function (item) {
        list.appendChild(item);
      });
    // Slides of its own at the end (#/sources), split to fit like any other slide.
    var stack = document.createElement("section");
    var leaf = document.createElement("section");
    leaf.id = "sources";
    leaf.className = "parley-appendix-slide";
    leaf.appendChild(appendix);
    stack.appendChild(leaf);
    slides.appendChild(stack);
  }

  /** Chapter id → the index of the slide that opens it (the deck's own #/N). */
  function chapterSlides() {
    var top = Array.prototype.slice.call(slides.children);
    var found = {};
    each(slides.querySelectorAll(".parley-chapter[data-chapter]"), function (mark) {
      var h = top.indexOf(mark.closest(".slides > section"));
      var id = mark.getAttribute("data-chapter");
      if (h >= 0 && !(id in found)) {
        found[id] = h;
      }
    });
    return found;
  }

  var chapters = {};

  /** #/positions → #/4 before reveal.js reads the address, so links keep their numbers. */
  function chapterLink() {
    var match = /^#\/([^/]+)\/?$/.exec(location.hash);
    var id = match && decodeURIComponent(match[1]);
    if (id && id in chapters) {
      history.replaceState(null, "", location.pathname + location.search + "#/" + chapters[id]);
    }
  }

  /** Only the shown slide takes focus: Tab never lands on a slide out of view. */
  function inertHidden(current) {
    if (printing) {
      return;
    }
    leafSections().forEach(function (leaf) {
      if (leaf === current) {
        leaf.removeAttribute("inert");
      } else {
        leaf.setAttribute("inert", "");
      }
    });
  }

  var printing = /(^|[?&])print-pdf(&|$)/i.test(location.search);

  /** reveal.js's print mode: every slide fitted and drawn, then centred on its page. */
  function printAll() {
    var pages = document.querySelectorAll(".pdf-page");
    return Promise.all(
      each(pages, function (page) {
        return fit(page.querySelector(":scope > section"));
      })
    ).then(function () {
      each(pages, function (page) {
        var slide = page.querySelector(":scope > section");
        slide.style.top = Math.max((page.clientHeight - slide.scrollHeight) / 2, 0) + "px";
      });
      document.documentElement.setAttribute("data-parley-printed", String(pages.length));
    });
  }

  liftDeckMarks();
  demoteContentSections();
  unwrapNestedNotes();
  numberCitations();
  paginateAll();
  chapters = chapterSlides();
  chapterLink();
  // Capture: before reveal.js's own listener reads the address.
  window.addEventListener("hashchange", chapterLink, true);
  if (printing) {
    window.Reveal.on("pdf-ready", printAll);
  } else {
    window.Reveal.on("ready", onShow);
    window.Reveal.on("slidechanged", onShow);
    window.Reveal.on("ready", function (event) {
      inertHidden(event.currentSlide);
      // reveal.js makes the arrows an <aside> inside its application region: a
      // complementary landmark that is not top level (axe-core). They are only buttons.
      var controls = document.querySelector(".reveal .controls");
      if (controls) controls.setAttribute("role", "none");
    });
    window.Reveal.on("slidechanged", function (event) {
      inertHidden(event.currentSlide);
    });
  }
  window.Reveal.initialize({
    width: W,
    height: H,
    margin: 0.04,
    center: true,
    hash: true,
    respondToHashChanges: true,
    navigationMode: "linear",
    controls: true,
    progress: true,
    slideNumber: "c/t",
    transition: "slide",
    viewDistance: 3,
    pdfSeparateFragments: false, // a slide prints as one page, fragments shown
    plugins: [window.RevealNotes],
  });
})();
