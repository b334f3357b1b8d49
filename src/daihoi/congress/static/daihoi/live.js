// daihoi live state: a WebSocket that falls back to polling /c/<slug>/state.json when it drops.
// Usage: DaihoiLive.start({slug, screen, onState(state)})
// The socket sends the whole state on connect and after a structural change, and small events after a
// ballot or a check-in (an election's count, the attendance figures): the page's state is the last whole
// state with the events since applied (applyEvents, the same rules as daihoi.congress.live.apply_events).
// Every push is numbered by the server process that built it: one numbered below the last applied from
// the same process is ignored, so a screen never goes back to an older count.
// The socket opens with the page's signed live token (<meta name="daihoi-live">, no database read on the
// server) when there is one. Reconnects wait a random, growing delay, so that a hall's phones coming back
// after a Wi-Fi drop do not all knock at the same instant.
(function (root) {
  "use strict";
  function assign(target, source) {
    Object.keys(source).forEach(function (k) { target[k] = source[k]; });
    return target;
  }
  // The state after the events: a new object; the one given (a page may keep it) is left as it was.
  function applyEvents(state, events) {
    var next = assign({}, state);
    events.forEach(function (ev) {
      if (ev.attendance !== undefined) {
        next.attendance = ev.attendance;
        var m = next.motion;
        if (ev.eligible !== undefined && m && m.status === "open") next.motion = assign(assign({}, m), {eligible: ev.eligible});
      }
      if (ev.election !== undefined && ev.voted !== undefined) {
        var e = next.election;
        if (e && e.id === ev.election) next.election = assign(assign({}, e), {voted_electronic: ev.voted});
      }
      if (ev.motion !== undefined && ev.voted !== undefined) {
        var mo = next.motion;
        if (mo && mo.id === ev.motion && mo.status === "open") next.motion = assign(assign({}, mo), {voted: ev.voted});
      }
    });
    return next;
  }
  function isOlder(heldSource, heldNumber, source, number) {
    return heldSource === source && number <= heldNumber;
  }
  // What a page holds after a socket message: {state, src, n}; null if the message changes nothing (an
  // older push, or events before any state).
  function receive(held, msg) {
    if (msg.type !== "state" && msg.type !== "events") return null;
    if (held && isOlder(held.src, held.n, msg.src, msg.n)) return null;
    if (msg.type === "state") return {state: msg.state, src: msg.src, n: msg.n};
    if (!held || !held.state) return null;
    return {state: applyEvents(held.state, msg.events), src: msg.src, n: msg.n};
  }

  function start(opts) {
    var base = "/c/" + opts.slug;
    var q = opts.screen ? "?screen=" + encodeURIComponent(opts.screen) : "";
    var socket = null, pollTimer = null, pollDelay = 1000, closed = false, attempts = 0;
    var held = null;
    var meta = document.querySelector('meta[name="daihoi-live"]');
    var signed = meta ? meta.getAttribute("content") : "";
    function socketQuery() {
      return signed ? "?t=" + encodeURIComponent(signed) : q;
    }
    function reconnectDelay() {
      // 1 s, 2 s, 4 s ... up to 30 s, each spread over half to one and a half times itself
      var step = Math.min(30000, 1000 * Math.pow(2, Math.min(attempts, 5)));
      attempts += 1;
      return Math.round(step * (0.5 + Math.random()));
    }
    function setMode(mode) {
      document.documentElement.setAttribute("data-live", mode);
      if (opts.onMode) opts.onMode(mode);
    }
    function poll() {
      fetch(base + "/state.json" + q, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (s) {
          if (socket && socket.readyState === 1) return;  // the socket is back: its state is newer
          held = {state: s, src: null, n: 0};
          opts.onState(s);
          pollDelay = 1000;
        })
        .catch(function () { pollDelay = Math.min(pollDelay * 2, 10000); })
        .finally(function () { if (!socket || socket.readyState !== 1) pollTimer = setTimeout(poll, pollDelay); });
    }
    function startPolling() {
      setMode("polling");
      if (!pollTimer) poll();
    }
    function connect() {
      if (closed) return;
      var proto = location.protocol === "https:" ? "wss://" : "ws://";
      try { socket = new WebSocket(proto + location.host + "/ws" + base + "/live/" + socketQuery()); }
      catch (e) { startPolling(); setTimeout(connect, reconnectDelay()); return; }
      var opened = false;
      socket.onopen = function () {
        opened = true;
        attempts = 0;
        setMode("socket");
        if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; }
      };
      socket.onmessage = function (ev) {
        var next = receive(held, JSON.parse(ev.data));
        if (next) { held = next; opts.onState(held.state); }
      };
      socket.onclose = function (ev) {
        // refused before opening: the signed token may have expired; the session or screen token remains
        if (!opened && ev.code === 4403) signed = "";
        socket = null; startPolling(); setTimeout(connect, reconnectDelay());
      };
    }
    connect();
    return { stop: function () { closed = true; if (socket) socket.close(); } };
  }
  var api = {start: start, applyEvents: applyEvents, receive: receive};
  if (typeof module === "object" && module.exports) module.exports = api;  // node runs the reducer in tests
  if (root) root.DaihoiLive = api;
})(typeof window !== "undefined" ? window : null);
