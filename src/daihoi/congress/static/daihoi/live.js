// daihoi live state: a WebSocket that falls back to polling /c/<slug>/state.json when it drops.
// Usage: DaihoiLive.start({slug, screen, onState(state)})
// The socket opens with the page's signed live token (<meta name="daihoi-live">, no database read on the
// server) when there is one. Reconnects wait a random, growing delay, so that a hall's phones coming back
// after a Wi-Fi drop do not all knock at the same instant.
(function () {
  "use strict";
  function start(opts) {
    var base = "/c/" + opts.slug;
    var q = opts.screen ? "?screen=" + encodeURIComponent(opts.screen) : "";
    var socket = null, pollTimer = null, pollDelay = 1000, closed = false, attempts = 0;
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
        .then(function (s) { opts.onState(s); pollDelay = 1000; })
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
        var msg = JSON.parse(ev.data);
        if (msg.type === "state") opts.onState(msg.state);
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
  window.DaihoiLive = { start: start };
})();
