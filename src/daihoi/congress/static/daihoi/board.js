// The attendance board: redraws the counts, the quorum and the sub-unit table from every live state.
(function () {
  "use strict";
  var root = document.getElementById("board");
  if (!root) return;
  var L = JSON.parse(document.getElementById("board-labels").textContent);
  function fmt(template, params) {
    return template.replace(/%\((\w+)\)s/g, function (_, k) { return params[k] === undefined ? "" : params[k]; });
  }
  function set(key, value) {
    root.querySelectorAll("[data-stat=" + key + "]").forEach(function (n) { n.textContent = value; });
  }
  function cell(text, cls) {
    var td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text;
    return td;
  }
  function render(a) {
    if (!a) return;
    set("convened", a.convened); set("present", a.present); set("absent", a.absent);
    set("excused", a.excused); set("not_arrived", a.not_arrived); set("left", a.left);
    set("guests_present", a.guests.present); set("base", a.base.value);
    set("base_explanation", a.base.explanation); set("rejected", a.rejected);
    set("alternates_present", a.alternates.present); set("alternates_convened", a.alternates.convened);
    var q = a.quorum, box = document.getElementById("quorum");
    box.classList.toggle("quorum-met", q.is_met);
    box.classList.toggle("quorum-not-met", !q.is_met);
    box.setAttribute("data-quorum", q.is_met ? "met" : "not_met");
    var head = q.is_met ? L.met : L.not_met;
    box.querySelector("[data-quorum-head]").textContent = head;
    box.querySelector("[data-quorum-line]").textContent =
      fmt(L.line, {head: head, present: a.present, convened: a.convened, required: q.required});
    box.querySelector("[data-quorum-warning]").textContent =
      q.majority_possible ? "" : fmt(L.warning, {present: a.present, base: a.base.value});
    var body = document.querySelector("#units tbody");
    body.textContent = "";
    a.units.forEach(function (u) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-unit", u.id === null ? "" : u.id);
      tr.appendChild(cell(u.name || L.no_unit));
      [u.convened, u.present, u.excused, u.not_arrived, u.left].forEach(function (n) { tr.appendChild(cell(n, "num")); });
      body.appendChild(tr);
    });
  }
  DaihoiLive.start({slug: root.getAttribute("data-slug"), onState: function (s) { render(s.attendance); }});
})();
