/* The city-wide challenge's timed paper: one question at a time, every answer saved at once, the server's clock.
   No framework. */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* The paper: one question at a time; every answer is saved at once; the clock is the server's.
     Answers go over the paper's socket (acknowledged once written); while the socket is down they go as HTTP
     posts, and answers still waiting when it drops are sent again when it is back (saving is idempotent).
     An answer given while the socket is still opening (just after the page loads) waits for it a few seconds. */
  function initPaper(root) {
    var data = JSON.parse($("chal-data").textContent);
    var L = JSON.parse($("chal-labels").textContent);
    var questions = data.questions;
    var csrf = root.querySelector("[name=csrfmiddlewaretoken]").value;
    var offset = data.server_now * 1000 - Date.now();  // server clock minus ours
    var deadline = data.deadline * 1000;
    var storeKey = "chal-index-" + data.attempt_id;
    var current = Math.min(parseInt(sessionStorage.getItem(storeKey) || "0", 10) || 0, questions.length - 1);
    var answers = {};
    var finishing = false;
    var confirmArmed = false;
    var sock = null;        // the socket, once its first frame (the paper) has arrived
    var opening = false;    // a socket is being opened
    var HOLD_MS = 5000;     // how long an answer waits for an opening socket before it goes by HTTP
    var seq = 0;
    var waiting = {};       // seq -> {q, picked, timer}: sent on the socket, not yet acknowledged
    var retry = 500;
    questions.forEach(function (q) { if (q.answer && q.answer.length) answers[q.index] = q.answer.slice(); });

    function post(url, body) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(body || {})
      }).then(function (r) { return r.json().then(function (j) { j.status = r.status; return j; }); });
    }

    function toResult() {
      finishing = true;
      window.location.assign(root.dataset.resultUrl);
    }

    function render() {
      var q = questions[current];
      sessionStorage.setItem(storeKey, String(current));
      $("chal-counter").textContent = L.counter.replace("{n}", current + 1).replace("{total}", questions.length);
      $("chal-type").textContent = L[q.type] || "";
      $("chal-stem").textContent = q.stem;
      var box = $("chal-choices");
      box.innerHTML = "";
      var picked = answers[q.index] || [];
      q.choices.forEach(function (c, i) {
        var b = el("button", "chal-choice" + (picked.indexOf(c.id) !== -1 ? " is-picked" : ""));
        b.type = "button";
        b.setAttribute("aria-pressed", picked.indexOf(c.id) !== -1 ? "true" : "false");
        b.appendChild(el("span", "chal-letter", String.fromCharCode(65 + i)));
        b.appendChild(el("span", "", c.text));
        b.addEventListener("click", function () { pick(q, c.id); });
        box.appendChild(b);
      });
      var done = Object.keys(answers).length;
      $("chal-progress").style.width = Math.round(done * 100 / questions.length) + "%";
      $("chal-prev").disabled = current === 0;
      $("chal-next").disabled = current === questions.length - 1;
      var dots = $("chal-dots");
      dots.innerHTML = "";
      questions.forEach(function (item, i) {
        var d = el("button", "chal-dot" + (answers[item.index] ? " is-done" : "") + (i === current ? " is-current" : ""), String(i + 1));
        d.type = "button";
        d.addEventListener("click", function () { current = i; render(); });
        dots.appendChild(d);
      });
      $("chal-saved").textContent = answers[q.index] ? L.saved : "";
      confirmArmed = false;
      $("chal-submit").textContent = L.submit;
    }

    function saved(q) {
      $("chal-error").textContent = "";
      if (questions[current].index !== q.index) return;
      $("chal-saved").textContent = L.saved;
      if (q.type !== "multiple" && current < questions.length - 1) {
        setTimeout(function () { if (questions[current].index === q.index) { current += 1; render(); } }, 250);
      }
    }

    function refused(error, message) {
      if (error === "expired" || error === "already_submitted") { toResult(); return; }
      $("chal-error").textContent = message || L.save_failed;
    }

    function viaHttp(q, picked) {
      post(root.dataset.answerUrl, { index: q.index, choice_ids: picked }).then(function (res) {
        if (res.ok) saved(q); else refused(res.error, res.message);
      }).catch(function () { $("chal-error").textContent = L.offline; });
    }

    function viaSocket(n) {
      var w = waiting[n];
      sock.send(JSON.stringify({ type: "answer", index: w.q.index, choice_ids: w.picked, seq: n }));
      clearTimeout(w.timer);
      w.timer = setTimeout(function () {  // no word from the server: try the other road
        if (waiting[n]) { delete waiting[n]; viaHttp(w.q, w.picked); }
      }, 8000);
    }

    function hold(n) {  // sent as soon as the paper frame arrives (see onFrame), or by HTTP if it does not
      waiting[n].timer = setTimeout(function () {
        var w = waiting[n];
        if (w && !sock) { delete waiting[n]; viaHttp(w.q, w.picked); }
      }, HOLD_MS);
    }

    function send(q, picked) {
      if (sock || opening) {
        seq += 1;
        waiting[seq] = { q: q, picked: picked };
        if (sock) viaSocket(seq); else hold(seq);
      } else {
        viaHttp(q, picked);
      }
    }

    function onFrame(msg) {
      var w;
      if (msg.type === "paper") {
        offset = msg.server_now * 1000 - Date.now();
        deadline = msg.deadline * 1000;
        if (msg.status !== "in_progress") { toResult(); return; }
        retry = 500;
        $("chal-error").textContent = "";
        Object.keys(waiting).map(Number).sort(function (a, b) { return a - b; }).forEach(viaSocket);
      } else if (msg.type === "saved") {
        w = waiting[msg.seq];
        if (!w) return;
        clearTimeout(w.timer);
        delete waiting[msg.seq];
        saved(w.q);
      } else if (msg.type === "submitted") {
        toResult();
      } else if (msg.type === "error") {
        w = waiting[msg.seq];
        if (w) { clearTimeout(w.timer); delete waiting[msg.seq]; }
        refused(msg.code, msg.message);
      }
    }

    function connect() {
      if (!("WebSocket" in window) || !root.dataset.ws) return;
      var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + root.dataset.ws);
      opening = true;
      ws.onmessage = function (e) {
        var msg = JSON.parse(e.data);
        if (msg.type === "paper") { sock = ws; opening = false; }
        onFrame(msg);
      };
      ws.onclose = function (e) {
        sock = null;
        opening = false;
        if (finishing) return;
        if (e.code === 4010) { toResult(); return; }
        if (e.code === 4004) return;  // not this browser's paper over the socket: HTTP only
        if (Object.keys(waiting).length) $("chal-error").textContent = L.reconnecting;
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 8000);
      };
    }

    function pick(q, choiceId) {
      var picked = (answers[q.index] || []).slice();
      if (q.type === "multiple") {
        var at = picked.indexOf(choiceId);
        if (at === -1) picked.push(choiceId); else picked.splice(at, 1);
      } else {
        picked = [choiceId];
      }
      if (!picked.length) return;
      answers[q.index] = picked;
      render();
      $("chal-saved").textContent = L.saving;
      send(q, picked);
    }

    function submit() {
      if (finishing) return;
      finishing = true;
      if (sock && !Object.keys(waiting).length) {
        // Frames are handled in order: every answer sent before this is written before the paper is scored.
        sock.send(JSON.stringify({ type: "submit" }));
        setTimeout(function () { post(root.dataset.submitUrl, {}).then(toResult, toResult); }, 5000);
        return;
      }
      var tries = 0;
      (function whenSaved() {  // let answers still on their way land first (at most a few seconds)
        if (Object.keys(waiting).length && tries++ < 20) { setTimeout(whenSaved, 250); return; }
        post(root.dataset.submitUrl, {}).then(toResult, toResult);
      })();
    }

    function tick() {
      var left = Math.max(0, Math.round((deadline - (Date.now() + offset)) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      var clock = $("chal-clock");
      clock.textContent = (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
      clock.classList.toggle("is-low", left <= 60);
      if (left <= 0) submit();
    }

    $("chal-prev").addEventListener("click", function () { if (current > 0) { current -= 1; render(); } });
    $("chal-next").addEventListener("click", function () { if (current < questions.length - 1) { current += 1; render(); } });
    $("chal-submit").addEventListener("click", function () {
      var missing = questions.length - Object.keys(answers).length;
      if (missing > 0 && !confirmArmed) {
        confirmArmed = true;
        this.textContent = L.confirm.replace("{missing}", missing);
        return;
      }
      submit();
    });
    render();
    tick();
    setInterval(tick, 250);
    connect();
  }

  var paper = $("chal-paper");
  if (paper) initPaper(paper);
})();
