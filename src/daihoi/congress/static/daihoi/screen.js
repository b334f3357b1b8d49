// daihoi projector screen: renders the public congress state (agenda, speaker, attendance) and runs the
// speaker's countdown. The timer ticks locally but is anchored to the server's clock: every state carries
// `speaker.server_now`, and the screen keeps the offset between it and its own clock.
// Other features add renderers for their sections: DaihoiScreen.register("motion", fn(sectionState)).
(function () {
  "use strict";
  var root = document.getElementById("screen");
  var renderers = {};
  var last = null;
  var offsetMs = 0;        // server clock − this device's clock
  var speaker = null;      // {startedMs, limitMs}
  var WARNING_MS = 60 * 1000;

  function label(name) { return root ? root.getAttribute("data-l-" + name) || "" : ""; }
  function field(name) { return root.querySelector('[data-field="' + name + '"]'); }
  function setText(name, text) {
    var node = field(name);
    if (node) node.textContent = text === null || text === undefined ? "" : String(text);
  }

  function renderAgenda(agenda) {
    var current = agenda && agenda.current;
    setText("item-number", current && current.number ? current.number : "");
    setText("item-title", current ? current.title : label("no-item"));
    setText("item-presenter", current ? current.presenter : "");
    var next = agenda && agenda.next;
    setText("item-next", next ? next.title : label("no-next"));
  }

  function renderAttendance(att) {
    var panel = field("attendance-panel");
    if (!att || typeof att !== "object") {
      setText("present", "—"); setText("convened", "—"); setText("quorum", ""); setText("quorum-explain", "");
      panel.setAttribute("data-quorum", "unknown");
      return;
    }
    setText("present", att.present !== undefined ? att.present : "—");
    setText("convened", att.convened !== undefined ? att.convened : "—");
    var q = att.quorum && typeof att.quorum === "object" ? att.quorum : null;
    if (!q || typeof q.is_met !== "boolean") {
      setText("quorum", ""); setText("quorum-explain", "");
      panel.setAttribute("data-quorum", "unknown");
      return;
    }
    panel.setAttribute("data-quorum", q.is_met ? "met" : "not-met");
    var text = q.is_met ? label("quorum-met") : label("quorum-not-met");
    if (!q.is_met && q.required !== undefined) text += " (" + label("required") + " " + q.required + ")";
    setText("quorum", text);
    setText("quorum-explain", q.explanation || q.explain || "");
  }

  function renderSpeaker(sp) {
    if (sp && sp.server_now) {
      var serverNow = Date.parse(sp.server_now);
      if (!isNaN(serverNow)) offsetMs = serverNow - Date.now();
    }
    var current = sp && sp.current;
    if (current && current.started_at) {
      speaker = {startedMs: Date.parse(current.started_at), limitMs: (current.time_limit_seconds || 0) * 1000};
      setText("speaker-name", current.name);
      setText("speaker-unit", current.unit);
      setText("speaker-topic", current.topic);
      root.setAttribute("data-speaking", "yes");
    } else {
      speaker = null;
      setText("speaker-name", ""); setText("speaker-unit", ""); setText("speaker-topic", "");
      root.setAttribute("data-speaking", "no");
    }
    var list = field("next-speakers");
    list.textContent = "";
    var names = (sp && sp.next) || [];
    names.forEach(function (name) {
      var li = document.createElement("li");
      li.textContent = name;
      list.appendChild(li);
    });
    var more = sp && sp.next_count > names.length ? sp.next_count - names.length : 0;
    setText("next-more", more ? "+" + more : "");
    tick();
  }

  function mmss(totalSeconds) {
    var m = Math.floor(totalSeconds / 60), s = totalSeconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    var panel = field("speaker-panel");
    if (speaker && !isNaN(speaker.startedMs)) {
      var elapsed = Date.now() + offsetMs - speaker.startedMs;
      var remaining = speaker.limitMs - Math.max(0, elapsed);
      var mode, text;
      if (remaining >= 0) {
        var seconds = Math.ceil(remaining / 1000);
        text = mmss(seconds);
        mode = remaining <= WARNING_MS ? "warning" : "running";
        setText("timer-note", "");
      } else {
        text = "+" + mmss(Math.floor(-remaining / 1000));
        mode = "overtime";
        setText("timer-note", label("overtime"));
      }
      setText("timer", text);
      panel.setAttribute("data-timer", mode);
    } else {
      panel.setAttribute("data-timer", "none");
      setText("timer", ""); setText("timer-note", "");
    }
    var clock = field("clock");
    if (clock) {
      var now = new Date(Date.now() + offsetMs);
      var tz = root.getAttribute("data-tz") || undefined;
      try {
        clock.textContent = now.toLocaleTimeString("vi-VN", {hour: "2-digit", minute: "2-digit", hour12: false, timeZone: tz});
      } catch (e) {
        clock.textContent = now.toLocaleTimeString("vi-VN", {hour: "2-digit", minute: "2-digit", hour12: false});
      }
    }
  }

  function updateVotingFlag() {
    var box = document.getElementById("voting-screen");
    if (!box) return;
    var shown = Array.prototype.some.call(box.children, function (c) { return !c.hidden; });
    root.setAttribute("data-voting", shown ? "on" : "off");
    // A long result (many candidates) asks for the whole body of the screen.
    root.setAttribute("data-voting-wide", shown && box.getAttribute("data-wide") === "yes" ? "yes" : "no");
  }

  function render(state) {
    last = state;
    renderAgenda(state.agenda);
    renderAttendance(state.attendance);
    renderSpeaker(state.speaker);
    Object.keys(renderers).forEach(function (name) {
      try { renderers[name](state[name]); } catch (e) { /* one section must not blank the screen */ }
    });
    updateVotingFlag();
    root.setAttribute("data-rendered", String(Date.now()));
    rendered();
  }

  // Sections that measure themselves (the result's fit) do it now, with the final layout flags set.
  function rendered() {
    root.dispatchEvent(new CustomEvent("daihoi:screen-rendered", {bubbles: true}));
  }

  window.DaihoiScreen = {
    register: function (name, fn) {
      renderers[name] = fn;
      if (last) { try { fn(last[name]); } catch (e) { /* ignore */ } updateVotingFlag(); rendered(); }
    },
    state: function () { return last; }
  };

  if (!root) return;
  var initial = document.getElementById("screen-state");
  if (initial) render(JSON.parse(initial.textContent));
  // Tick four times a second so the displayed second changes close to the real boundary.
  setInterval(tick, 250);
  if (window.DaihoiLive) {
    var modeNode = field("mode");
    DaihoiLive.start({
      slug: root.getAttribute("data-slug"),
      screen: root.getAttribute("data-token"),
      onState: render,
      onMode: function (mode) {
        modeNode.setAttribute("data-mode", mode);
        modeNode.textContent = label(mode);
      }
    });
  }
})();
