// daihoi live state: a WebSocket that falls back to polling /c/<slug>/state.json when it drops.
// Usage: DaihoiLive.start({slug, screen, onState(state)})
(function () {
  "use strict";
  function start(opts) {
    var base = "/c/" + opts.slug;
    var q = opts.screen ? "?screen=" + encodeURIComponent(opts.screen) : "";
    var socket = null, pollTimer = null, pollDelay = 1000, closed = false;
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
      try { socket = new WebSocket(proto + location.host + "/ws" + base + "/live/" + q); }
      catch (e) { startPolling(); setTimeout(connect, 5000); return; }
      socket.onopen = function () {
        setMode("socket");
        if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; }
      };
      socket.onmessage = function (ev) {
        var msg = JSON.parse(ev.data);
        if (msg.type === "state") opts.onState(msg.state);
      };
      socket.onclose = function () { socket = null; startPolling(); setTimeout(connect, 3000); };
    }
    connect();
    return { stop: function () { closed = true; if (socket) socket.close(); } };
  }
  window.DaihoiLive = { start: start };
})();
