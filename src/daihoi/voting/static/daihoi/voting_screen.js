// daihoi voting on the projector and on staff/delegate pages: renderers for the `motion`, `election`
// and `result` sections of the live congress state. Public facts only: while a vote is open, how many
// have answered, never what.
//
// On the screen page: <div id="voting-screen" data-slug="…" data-screen="…"></div> + this script.
// If the page offers `DaihoiScreen.register(name, fn)`, the renderers register there and share its
// socket; otherwise this script starts its own `DaihoiLive` for the container.
(function () {
  "use strict";
  var L = Object.assign({
    voted: "đã biểu quyết",
    hands: "Đang biểu quyết bằng giơ tay",
    open: "Đang biểu quyết",
    yes: "Tán thành",
    no: "Không tán thành",
    abstain: "Không biểu quyết",
    passed: "Thông qua",
    failed: "Không thông qua",
    ofN: "của N",
    present: "Có mặt",
    eVoted: "đã bỏ phiếu điện tử",
    elected: "Trúng cử",
    electedAlternates: "Trúng cử dự khuyết",
    tie: "Bằng phiếu — cần bầu lần sau",
    notEnough: "Chưa đủ số trúng cử — còn trống",
    seats: "chỗ",
    votes: "phiếu",
    vote: "phiếu",  // one vote (English: "1 vote", "2 votes")
    valid: "Phiếu hợp lệ",
    issued: "Phát ra",
    received: "Thu vào",
    invalid: "Không hợp lệ",
    round: "Lần",
    auditCode: "Mã nhật ký kiểm toán"
  }, window.DaihoiVotingLabels || {});

  // Numbers the way the page's language writes them (web/numbers.py): Vietnamese "95,00", English "95.00".
  // The core sends plain decimal strings ("95.00"); only the marks change here, never the figure.
  function marks() {
    var lang = (document.documentElement.getAttribute("lang") || "vi").slice(0, 2).toLowerCase();
    return lang === "en" ? {decimal: ".", thousands: ","} : {decimal: ",", thousands: "."};
  }
  function num(value) {
    if (value === null || value === undefined) return "";
    var m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(value).trim());
    if (!m) return String(value);
    var k = marks();
    return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, k.thousands) + (m[3] ? k.decimal + m[3] : "");
  }
  // A text the core wrote (an outcome line): its percentages in the page's marks.
  function figures(text) {
    return String(text || "").replace(/(^|[^\d.,])(\d+\.\d+)(?=\s?%)/g, function (all, before, n) {
      return before + num(n);
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "style") node.setAttribute("style", attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function section(root, name) {
    var node = root.querySelector('[data-voting-section="' + name + '"]');
    if (!node) {
      node = el("section", {"data-voting-section": name, "class": "voting-" + name});
      root.appendChild(node);
    }
    return node;
  }

  function renderMotion(m, node) {
    node.textContent = "";
    if (!m) { node.hidden = true; return; }
    node.hidden = false;
    node.setAttribute("data-motion", m.id);
    node.setAttribute("data-status", m.status);
    node.appendChild(el("h2", {text: m.title}));
    if (m.status === "open") {
      if (m.method === "show_of_hands") {
        node.appendChild(el("p", {"class": "voting-progress", text: L.hands}));
      } else {
        node.appendChild(el("p", {"class": "voting-progress", "data-field": "progress",
          text: m.voted + "/" + m.eligible + " " + L.voted}));
      }
      return;
    }
    if (m.status !== "closed") return;
    var rows = [["yes", L.yes], ["no", L.no], ["abstain", L.abstain]].map(function (r) {
      return el("tr", {}, [
        el("th", {text: r[1]}),
        el("td", {"class": "num", "data-field": r[0], text: String(m[r[0]])}),
        el("td", {"class": "num", text: num(m[r[0] + "_percent"]) + "% " + L.ofN})
      ]);
    });
    node.appendChild(el("table", {"class": "voting-motion-result"}, rows));
    node.appendChild(el("p", {"class": "voting-verdict " + (m.is_passed ? "ok" : "bad"), "data-field": "verdict",
      text: (m.is_passed ? L.passed : L.failed)}));
    node.appendChild(el("p", {"class": "voting-outcome muted", text: figures(m.outcome)}));
  }

  function renderElection(e, node) {
    node.textContent = "";
    if (!e) { node.hidden = true; return; }
    node.hidden = false;
    node.setAttribute("data-election", e.id);
    node.setAttribute("data-status", e.status);
    node.appendChild(el("h2", {text: e.title}));
    node.appendChild(el("p", {"data-field": "status", text: e.status_label}));
    if (e.status === "open" && e.voted_electronic !== null && e.voted_electronic !== undefined) {
      node.appendChild(el("p", {"class": "voting-progress", "data-field": "progress",
        text: e.voted_electronic + "/" + e.present_at_vote + " " + L.eVoted}));
    }
  }

  // The result on the projector fits the screen whatever the number of candidates: from WIDE_FROM names it
  // takes the whole body in columns (read down, in rank order), and one scale for the whole section
  // shrinks the type until nothing overflows. Names wrap, never cut: who is who must stay readable.
  var WIDE_FROM = 12;
  var ROWS_PER_COLUMN = 14;
  var MIN_FIT = 0.45;
  var MAX_FIT = 2.2;  // a short list grows to fill the screen, as the 32-name layout does

  function columnsFor(n) {
    if (n < WIDE_FROM) return 1;
    return Math.min(3, Math.max(2, Math.ceil(n / ROWS_PER_COLUMN)));
  }

  var MARKS = {elected: "✔", elected_alternate: "✔", tied: "="};

  function key(kind, text, count) {
    // The heading of a summary line, drawn as the rows' mark so it doubles as the chart's legend.
    return el("strong", {"class": "voting-key " + kind}, [
      el("span", {"class": "voting-mark", "aria-hidden": "true", text: MARKS[kind]}),
      document.createTextNode(" " + text + (count ? " (" + count + ")" : "") + ": ")
    ]);
  }

  function renderResult(r, node) {
    node.textContent = "";
    var box = node.parentNode;
    node.style.removeProperty("--fit");
    node.removeAttribute("data-fit");
    node.removeAttribute("data-fit-size");
    if (!r) {
      node.hidden = true;
      if (box) box.removeAttribute("data-wide");
      return;
    }
    node.hidden = false;
    node.setAttribute("data-election", r.election);
    var candidates = r.candidates || [];
    var columns = columnsFor(candidates.length);
    node.setAttribute("data-columns", String(columns));
    if (box) box.setAttribute("data-wide", "yes");  // the result takes the whole body, whatever its length
    node.appendChild(el("h2", {text: r.title}));
    var b = r.ballots || {};
    node.appendChild(el("p", {"class": "muted voting-ballots", text: "N = " + r.base + " · " + L.issued + " " + b.issued +
      " · " + L.received + " " + b.received + " · " + L.valid + " " + b.valid + " · " + L.invalid + " " + b.invalid}));
    var chart = el("ol", {"class": "voting-bars", "aria-label": r.title,
      style: "--rows:" + Math.ceil(candidates.length / columns) + ";--columns:" + columns});
    candidates.forEach(function (c) {
      var pct = parseFloat(c.percent) || 0;  // display only: the figure shown is the core's string
      chart.appendChild(el("li", {"class": "voting-bar " + c.result, "data-candidate": c.id, "data-result": c.result}, [
        el("span", {"class": "voting-mark", "aria-hidden": "true", text: MARKS[c.result] || ""}),
        el("span", {"class": "voting-bar-name", text: c.name}),
        el("span", {"class": "voting-bar-track"}, [
          el("span", {"class": "voting-bar-fill", style: "width:" + Math.min(100, pct) + "%"})
        ]),
        el("span", {"class": "voting-bar-figure num", text: c.votes + " " + (c.votes === 1 ? L.vote : L.votes) + " · " + num(c.percent) + "%"})
      ]));
    });
    node.appendChild(chart);
    if (r.elected && r.elected.length) {
      node.appendChild(el("p", {"class": "voting-elected", "data-field": "elected"},
        [key("elected", L.elected, r.elected.length), document.createTextNode(r.elected.join(", "))]));
    }
    if (r.elected_alternates && r.elected_alternates.length) {
      node.appendChild(el("p", {"class": "voting-elected", "data-field": "elected-alternates"},
        [key("elected_alternate", L.electedAlternates, r.elected_alternates.length),
          document.createTextNode(r.elected_alternates.join(", "))]));
    }
    if (r.next_round) {
      var why = r.next_round.reason === "tie" ? L.tie : L.notEnough;
      var line = el("p", {"class": "voting-next-round warn", "data-field": "next-round"},
        [document.createTextNode(why + " (" + r.next_round.seats + " " + L.seats + "): " +
          r.next_round.candidates.join(", "))]);
      if (r.next_round.reason === "tie") line.insertBefore(el("span", {"class": "voting-mark tied", "aria-hidden": "true",
        text: MARKS.tied}), line.firstChild);
      node.appendChild(line);
    }
    if (r.anchor) {
      // The audit chain's head anchored when this result was released: read it against the minutes.
      node.appendChild(el("p", {"class": "muted voting-anchor", "data-field": "anchor",
        style: "margin:0.2em 0 0;font-size:0.8em;line-height:1.2"}, [
        document.createTextNode(L.auditCode + " (#" + r.anchor.seq + "): "),
        el("strong", {"class": "num", text: r.anchor.short}),
        el("span", {"class": "voting-anchor-full", style: "font-size:0.5em;word-break:break-all",
          text: " " + r.anchor.hash})
      ]));
    }
    scheduleFit(node);
  }

  function overflows(box, node) {
    if (box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1) return true;
    return Array.prototype.some.call(node.querySelectorAll(".voting-bar-name, .voting-bar-figure"), function (n) {
      return n.scrollWidth > n.clientWidth + 1;
    });
  }

  function fitResult(node) {
    var box = node.parentNode;
    node.style.removeProperty("--fit");
    if (node.hidden || !box || !box.clientHeight) {
      node.removeAttribute("data-fit");
      node.removeAttribute("data-fit-size");
      return;
    }
    // Bisect the scale: the largest type at which the panel holds everything (a long list shrinks, a
    // short one grows up to MAX_FIT).
    var most = node.getAttribute("data-columns") === "1" ? MAX_FIT : 1;
    node.style.setProperty("--fit", String(most));
    var fit = most;
    if (overflows(box, node)) {
      var lo = MIN_FIT, hi = most;
      for (var i = 0; i < 10; i++) {
        var mid = (lo + hi) / 2;
        node.style.setProperty("--fit", String(mid));
        if (overflows(box, node)) hi = mid; else lo = mid;
      }
      fit = lo;
    }
    node.style.setProperty("--fit", String(fit));
    node.setAttribute("data-fit", fit.toFixed(3));
    node.setAttribute("data-fit-size", window.innerWidth + "x" + window.innerHeight);  // fitted for this window
  }

  // The fit runs once the whole state is drawn (the screen shows the voting panel only then): at once when
  // the screen says so ("daihoi:screen-rendered", in the same task, so no half-fitted state is ever seen),
  // else before the next paint.
  var fitPending = null;
  function flushFit() {
    if (!fitPending) return;
    var node = fitPending;
    fitPending = null;
    fitResult(node);
  }
  function scheduleFit(node) {
    fitPending = node;
    if (window.requestAnimationFrame) window.requestAnimationFrame(flushFit); else setTimeout(flushFit, 0);
  }
  document.addEventListener("daihoi:screen-rendered", flushFit);

  var RENDERERS = {motion: renderMotion, election: renderElection, result: renderResult};
  window.DaihoiNumbers = {num: num, figures: figures};

  function render(state, root) {
    Object.keys(RENDERERS).forEach(function (name) {
      RENDERERS[name](state[name], section(root, name));
    });
  }

  // Staff and delegate pages: reload when the motion the page shows changes (opened, closed, another).
  function watchMotion(opts) {
    if (!window.DaihoiLive) return null;
    var reloading = false;
    function reload() { if (!reloading) { reloading = true; location.reload(); } }
    return DaihoiLive.start({slug: opts.slug, onState: function (s) {
      var m = s.motion;
      if (opts.reloadOnly) {
        // The delegate's page shows the open phone motion (electronic or named), if any.
        var openId = m && m.status === "open" && m.method !== "show_of_hands" ? m.id : null;
        if (openId !== (opts.motion || null)) reload();
        return;
      }
      if (!m || m.id !== opts.motion) return;
      if (m.status !== opts.status) { reload(); return; }
      var voted = document.querySelector('[data-field="voted"]');
      if (voted && m.voted !== null && m.voted !== undefined) voted.textContent = m.voted + "/" + m.eligible;
    }});
  }

  // The bar chart's few rules live here so the screen needs no extra stylesheet (the projector's own
  // sizes and the wide layout are in screen.css).
  var CSS = ".voting-bars{list-style:none;padding:0;margin:0}" +
    ".voting-bar{display:grid;grid-template-columns:1.4em minmax(8em,18em) 1fr auto;gap:.6em;align-items:center;margin:.25em 0}" +
    ".voting-bar-name{min-width:0;overflow-wrap:anywhere}" +
    ".voting-bar-track{background:#eee;height:1.1em;border-radius:3px;overflow:hidden}" +
    ".voting-bar-fill{display:block;height:100%;background:#9e9e9e}" +
    ".voting-bar.elected .voting-bar-fill{background:#b71c1c}.voting-bar.elected_alternate .voting-bar-fill{background:#f9a825}" +
    ".voting-bar.tied .voting-bar-fill{background:#e65100}.voting-bar.elected .voting-bar-name{font-weight:bold}" +
    ".voting-mark{display:inline-block;min-width:1.4em;text-align:center;border-radius:.25em;font-weight:bold;line-height:1.3}" +
    ".voting-mark:empty{visibility:hidden}" +
    ".voting-mark.elected,.elected>.voting-mark{background:#ffd54f;color:#111}" +
    ".voting-mark.elected_alternate,.elected_alternate>.voting-mark{box-shadow:inset 0 0 0 .14em #f9a825;color:#f9a825}" +
    ".voting-mark.tied,.tied>.voting-mark{background:#e65100;color:#fff}" +
    ".voting-next-round .voting-mark{margin-right:.4em}" +
    ".voting-progress{font-size:2em;font-weight:bold}";

  function addStyle() {
    if (document.getElementById("voting-screen-style")) return;
    var style = el("style", {id: "voting-screen-style"});
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  // The page may give translated labels as data-l-* attributes on the container (data-l-elected-alternates).
  function readLabels(root) {
    Object.keys(L).forEach(function (name) {
      var value = root.getAttribute("data-l-" + name.replace(/[A-Z]/g, function (ch) { return "-" + ch.toLowerCase(); }));
      if (value) L[name] = value;
    });
  }

  // The projector's title on one line: its type shrinks until the name fits beside the clock (down to
  // 55%; a longer name then takes two lines at that size), so it never wraps into the top edge.
  function fitTitle() {
    var title = document.querySelector(".scr-name");
    if (!title) return;
    title.style.removeProperty("font-size");
    title.classList.add("scr-name-one-line");
    var full = parseFloat(window.getComputedStyle(title).fontSize) || 0;
    var size = full;
    while (title.scrollWidth > title.clientWidth + 1 && size > full * 0.55) {
      size = size * 0.95;
      title.style.fontSize = size + "px";
    }
    if (title.scrollWidth > title.clientWidth + 1) title.classList.remove("scr-name-one-line");
    title.setAttribute("data-fit", (full ? size / full : 1).toFixed(3));
  }

  function mount() {
    fitTitle();
    window.addEventListener("resize", fitTitle);
    var root = document.getElementById("voting-screen");
    if (!root) return;
    readLabels(root);
    addStyle();
    window.addEventListener("resize", function () {
      var result = root.querySelector('[data-voting-section="result"]');
      if (result && !result.hidden) fitResult(result);
    });
    if (window.DaihoiScreen && typeof window.DaihoiScreen.register === "function") {
      Object.keys(RENDERERS).forEach(function (name) {
        window.DaihoiScreen.register(name, function (data) { RENDERERS[name](data, section(root, name)); });
      });
      return;
    }
    if (window.DaihoiLive && root.getAttribute("data-slug")) {
      DaihoiLive.start({slug: root.getAttribute("data-slug"), screen: root.getAttribute("data-screen") || "",
        onState: function (s) { render(s, root); }});
    }
  }

  window.DaihoiVotingScreen = {render: render, renderMotion: renderMotion, renderElection: renderElection,
    renderResult: renderResult, fitResult: fitResult, watchMotion: watchMotion, mount: mount};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
