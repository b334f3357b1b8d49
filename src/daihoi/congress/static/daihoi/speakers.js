// daihoi hall pages (agenda, speaker list, the delegate's phone): keep one region of the page fresh.
// The page itself is plain HTML forms (it works without JavaScript). When the live congress state
// changes in a section the page cares about, this refetches the page and swaps the region
// [data-live-region=<region>], keeping what the person is typing.
// Usage: DaihoiHallPage.watch({slug, region, section: "speaker", also: "agenda", jitter: ms})
(function () {
  "use strict";

  // server_now changes on every build; it is not a change of the congress.
  function fingerprint(state, sections) {
    return JSON.stringify(sections.map(function (name) {
      var part = state[name];
      if (part && typeof part === "object" && "server_now" in part) {
        part = Object.assign({}, part);
        delete part.server_now;
      }
      return part === undefined ? null : part;
    }));
  }

  function typing(region) {
    var active = document.activeElement;
    return active && region.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
  }

  function refresh(regionName, done) {
    var selector = '[data-live-region="' + regionName + '"]';
    fetch(location.pathname, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(selector);
        var region = document.querySelector(selector);
        if (!fresh || !region) return;
        var kept = {}, opened = {};
        region.querySelectorAll("input[id], textarea[id]").forEach(function (input) {
          if (input.type !== "hidden" && input.value !== input.defaultValue) kept[input.id] = input.value;
        });
        region.querySelectorAll("details[open]").forEach(function (d, i) {
          var row = d.closest("[data-request],[data-item]");
          opened[row ? row.getAttribute("data-request") || row.getAttribute("data-item") : "i" + i] = true;
        });
        region.innerHTML = fresh.innerHTML;
        Object.keys(kept).forEach(function (id) {
          var input = document.getElementById(id);
          if (input) input.value = kept[id];
        });
        region.querySelectorAll("details").forEach(function (d, i) {
          var row = d.closest("[data-request],[data-item]");
          var key = row ? row.getAttribute("data-request") || row.getAttribute("data-item") : "i" + i;
          if (opened[key]) d.open = true;
        });
        region.setAttribute("data-refreshed", String(Date.now()));
      })
      .catch(function () { /* the next change retries */ })
      .finally(done);
  }

  function watch(opts) {
    if (!window.DaihoiLive) return null;
    var sections = [opts.section].concat(opts.also ? [].concat(opts.also) : []);
    var seen = null, busy = false, again = false;
    var region = document.querySelector('[data-live-region="' + opts.region + '"]');
    function run() {
      if (busy) { again = true; return; }
      if (region && typing(region)) {
        // Wait until the person leaves the field, then refresh once.
        region.addEventListener("focusout", function once() {
          region.removeEventListener("focusout", once);
          setTimeout(run, 0);
        });
        return;
      }
      busy = true;
      refresh(opts.region, function () {
        busy = false;
        region = document.querySelector('[data-live-region="' + opts.region + '"]');
        if (again) { again = false; run(); }
      });
    }
    var modeNode = document.getElementById("live-mode");
    return DaihoiLive.start({
      slug: opts.slug,
      // The labels are translated in the template: <p id="live-mode" data-socket="…" data-polling="…">.
      onMode: function (mode) {
        if (!modeNode) return;
        modeNode.textContent = modeNode.getAttribute("data-" + mode) || "";
        modeNode.setAttribute("data-mode", mode);
      },
      onState: function (state) {
        var print = fingerprint(state, sections);
        // The first state may already differ from the rendered page (a change between render and connect).
        if (print !== seen) {
          seen = print;
          if (opts.jitter) setTimeout(run, Math.floor(Math.random() * opts.jitter));
          else run();
        }
      }
    });
  }

  window.DaihoiHallPage = {watch: watch, fingerprint: fingerprint};
})();
