/* The city-wide challenge: registration pickers, the big-screen board and the board block of campaign pages
   (the paper: challenge_paper.js). No framework. */
(function () {
  "use strict";
  // Each challenge block on a campaign page brings its own <script> tag: run once.
  if (window.clearskyChallenge) return;
  window.clearskyChallenge = true;

  function $(id) { return document.getElementById(id); }
  function fill(text, key, value) { return text.replace("%(" + key + ")s", String(value)); }
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
      if (!select) return;  // a class account's own class is shown, not picked
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
      filter(school, "data-district", district && district.value);
      filter(klass, "data-school", school && school.value);
      form.querySelector(".chal-guardian").hidden = !under14.checked;
    }
    [group, district, school, under14].forEach(function (node) { if (node) node.addEventListener("change", sync); });
    sync();
  }

  /* Board frames (docs/protocol.md): the socket of a challenge's board, reconnecting 2 s after it drops.
     onFrame(frame) gets every board; onState(true|false) says whether the socket is up. */
  function openBoard(path, onFrame, onState) {
    function connect() {
      var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + path);
      ws.onopen = function () { onState(true); };
      ws.onmessage = function (e) {
        var msg = JSON.parse(e.data);
        if (msg.type === "board") onFrame(msg);
      };
      ws.onclose = function () {
        onState(false);
        setTimeout(connect, 2000);
      };
    }
    connect();
  }

  /* One ranked person of a frame: rank, masked name (the server sends no other), school, points. */
  function personRow(r, cls, points) {
    var li = el("li");
    li.appendChild(el("b", cls + "-rank", String(r.rank)));
    li.appendChild(el("span", cls + "-name", r.name));
    li.appendChild(el("span", cls + "-org", r.school));
    li.appendChild(el("span", cls + "-pts", points));
    return li;
  }

  /* The big screen: a snapshot in the page, then whatever the server publishes (at most once a second). */
  function initScreen(body) {
    var labels = JSON.parse($("chal-labels").textContent);
    function renderBoard(snap) {
      $("chal-participants").textContent = snap.participants;
      $("chal-finished").textContent = snap.finished;
      var groups = $("chal-groups");
      groups.innerHTML = "";
      snap.groups.forEach(function (g) {
        var block = el("div", "chal-screen-group");
        block.appendChild(el("h3", "", fill(labels.group, "name", g.name)));
        var list = el("ol", "chal-people");
        g.top.forEach(function (r) {
          list.appendChild(personRow(r, "chal", fill(fill(labels.points, "score", r.score), "seconds", r.seconds)));
        });
        if (!g.top.length) list.appendChild(el("li", "muted", labels.waiting));
        block.appendChild(list);
        groups.appendChild(block);
      });
      [["chal-schools", snap.schools], ["chal-districts", snap.districts]].forEach(function (pair) {
        var ol = $(pair[0]);
        ol.innerHTML = "";
        pair[1].forEach(function (r) {
          var li = el("li");
          li.appendChild(el("span", "chal-name", r.name));
          li.appendChild(el("span", "chal-pts", fill(fill(labels.school, "index", r.index), "count", r.participants)));
          ol.appendChild(li);
        });
      });
    }
    renderBoard(JSON.parse($("chal-snapshot").textContent));
    openBoard(body.dataset.ws, renderBoard, function (up) {
      $("chal-live").textContent = up ? labels.live : labels.reconnecting;
      $("chal-live").classList.toggle("is-live", up);
    });
  }

  /* The challenge block of campaign pages (templates/pages/blocks/challenge_block.html) arrives rendered; then
     its status and countdown follow the server's clock, and its counters and mini board follow the socket.
     Its words come translated in the block's JSON. */
  function initEmbed(root) {
    var labels = JSON.parse(root.querySelector("script[type='application/json']").textContent);
    var offset = parseFloat(root.dataset.now) * 1000 - Date.now();  // server clock minus ours
    var starts = parseInt(root.dataset.starts, 10) * 1000;
    var ends = parseInt(root.dataset.ends, 10) * 1000;
    var rows = parseInt(root.dataset.rows, 10) || 5;
    function role(name) { return root.querySelector("[data-role='" + name + "']"); }
    function pad(n) { return (n < 10 ? "0" : "") + n; }

    function tick() {
      var now = Date.now() + offset, state = "ended", target = 0;
      if (now < starts) { state = "upcoming"; target = starts; } else if (now < ends) { state = "open"; target = ends; }
      var badge = role("status");
      badge.textContent = labels[state];
      badge.className = "badge" + (state === "open" ? " badge-ok" : state === "upcoming" ? " badge-warn" : "");
      var text = "";
      if (target) {
        var left = Math.max(0, Math.floor((target - now) / 1000));
        var key = state === "upcoming" ? "startsIn" : "endsIn";
        text = left >= 86400
          ? fill(labels[key + "Days"], "days", Math.floor(left / 86400))
          : fill(labels[key], "time", pad(Math.floor(left / 3600)) + ":" + pad(Math.floor(left % 3600 / 60)) + ":" + pad(left % 60));
      }
      role("countdown").textContent = text;
      if (root.dataset.state !== state) {
        root.dataset.state = state;
        role("join").textContent = state === "open" ? labels.join : labels.details;
      }
    }

    function fillList(list, items, build) {
      list.innerHTML = "";
      items.slice(0, rows).forEach(function (r, i) { list.appendChild(build(r, i)); });
      if (!items.length) list.appendChild(el("li", "muted", labels.waiting));
    }

    function render(frame) {
      role("participants").textContent = frame.participants;
      role("finished").textContent = frame.finished;
      var lists = {};
      Array.prototype.forEach.call(root.querySelectorAll("ol.chal-embed-people"), function (ol) { lists[ol.dataset.group] = ol; });
      frame.groups.forEach(function (g) {
        if (!lists[g.name]) return;  // a group added after the page was rendered shows after a reload
        fillList(lists[g.name], g.top, function (r) { return personRow(r, "chal-embed", fill(labels.points, "score", r.score)); });
      });
      var schools = role("schools");
      if (schools) {
        fillList(schools, frame.schools, function (r, i) {
          var li = el("li");
          li.appendChild(el("b", "chal-embed-rank", String(i + 1)));
          li.appendChild(el("span", "chal-embed-name", r.name));
          li.appendChild(el("span", "chal-embed-pts", fill(fill(labels.school, "index", Number(r.index).toFixed(1)), "count", r.participants)));
          return li;
        });
      }
    }

    var tabs = root.querySelectorAll(".chal-embed-tabs button");
    Array.prototype.forEach.call(tabs, function (button) {
      button.addEventListener("click", function () {
        Array.prototype.forEach.call(tabs, function (b) {
          b.classList.toggle("chip-on", b === button);
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        Array.prototype.forEach.call(root.querySelectorAll("ol.chal-embed-people"), function (ol) {
          ol.hidden = ol.dataset.group !== button.dataset.group;
        });
      });
    });

    tick();
    setInterval(tick, 1000);
    var live = role("live");
    openBoard(root.dataset.ws, render, function (up) {
      if (!live) return;
      live.textContent = up ? labels.live : labels.reconnecting;
      live.classList.toggle("is-live", up);
    });
  }

  var form = $("chal-register-form");
  if (form) initRegister(form);
  var screen = $("chal-screen");
  if (screen) initScreen(screen);
  Array.prototype.forEach.call(document.querySelectorAll(".chal-embed"), initEmbed);
})();
