/* The city-wide challenge: registration pickers and the big-screen board (the paper: challenge_paper.js). No framework. */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Registration: district -> school -> class, student vs public fields, guardian consent under 14. */
  function initRegister(form) {
    var publicGroups = (form.dataset.publicGroups || "").split(",").filter(Boolean);
    var group = form.querySelector("[name=group]");
    var district = $("id_district"), school = $("id_school"), klass = $("id_school_class");
    var under14 = $("id_is_under_14");
    function filter(select, attr, value) {
      Array.prototype.forEach.call(select.options, function (opt) {
        if (!opt.value) return;
        var show = !value || opt.getAttribute(attr) === value;
        opt.hidden = !show;
        opt.disabled = !show;
        if (!show && opt.selected) select.value = "";
      });
    }
    function sync() {
      var isPublic = publicGroups.indexOf(group.value) !== -1;
      form.querySelector(".chal-public").hidden = !isPublic;
      form.querySelector(".chal-student").hidden = isPublic;
      filter(school, "data-district", district.value);
      filter(klass, "data-school", school.value);
      form.querySelector(".chal-guardian").hidden = !under14.checked;
    }
    [group, district, school, under14].forEach(function (node) { node.addEventListener("change", sync); });
    sync();
  }

  /* The big screen: a snapshot in the page, then whatever the server publishes (at most once a second). */
  function initScreen(body) {
    function renderBoard(snap) {
      $("chal-participants").textContent = snap.participants;
      $("chal-finished").textContent = snap.finished;
      var groups = $("chal-groups");
      groups.innerHTML = "";
      snap.groups.forEach(function (g) {
        var block = el("div", "chal-screen-group");
        block.appendChild(el("h3", "", g.name + "组"));
        var list = el("ol", "chal-people");
        g.top.forEach(function (r) {
          var li = el("li");
          li.appendChild(el("b", "chal-rank", String(r.rank)));
          li.appendChild(el("span", "chal-name", r.name));
          li.appendChild(el("span", "chal-org", r.school));
          li.appendChild(el("span", "chal-pts", r.score + "分 " + r.seconds + "秒"));
          list.appendChild(li);
        });
        if (!g.top.length) list.appendChild(el("li", "muted", "等待第一位交卷者"));
        block.appendChild(list);
        groups.appendChild(block);
      });
      [["chal-schools", snap.schools], ["chal-districts", snap.districts]].forEach(function (pair) {
        var ol = $(pair[0]);
        ol.innerHTML = "";
        pair[1].forEach(function (r) {
          var li = el("li");
          li.appendChild(el("span", "chal-name", r.name));
          li.appendChild(el("span", "chal-pts", "指数 " + r.index + " · " + r.participants + "人"));
          ol.appendChild(li);
        });
      });
    }
    renderBoard(JSON.parse($("chal-snapshot").textContent));
    function connect() {
      var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + body.dataset.ws);
      ws.onopen = function () { $("chal-live").textContent = "实时"; $("chal-live").classList.add("is-live"); };
      ws.onmessage = function (e) {
        var msg = JSON.parse(e.data);
        if (msg.type === "board") renderBoard(msg);
      };
      ws.onclose = function () {
        $("chal-live").textContent = "重新连接中";
        $("chal-live").classList.remove("is-live");
        setTimeout(connect, 2000);
      };
    }
    connect();
  }

  var form = $("chal-register-form");
  if (form) initRegister(form);
  var screen = $("chal-screen");
  if (screen) initScreen(screen);
})();
