/* The projector console of a live class game: speaks /ws/host/<id>/ (docs/protocol.md). No framework. */
(function () {
  "use strict";

  var root = document.getElementById("live-console");
  if (!root) return;

  var COLOURS = ["red", "blue", "amber", "green", "purple", "teal"];
  var SHAPES = ["▲", "◆", "●", "■", "★", "⬟"];
  var KINDS = { single: "单选题", multiple: "多选题", truefalse: "判断题" };

  var $ = function (id) { return document.getElementById(id); };
  var screens = { lobby: $("screen-lobby"), question: $("screen-question"), podium: $("screen-podium") };
  var nextButton = $("live-next");
  var finishButton = $("live-finish");

  var ws = null;
  var retry = 0;
  var closed = false;
  var offset = 0;            // server clock - local clock, in seconds
  var phase = root.dataset.phase;
  var index = -1;
  var total = parseInt(root.dataset.total, 10) || 0;
  var question = null;
  var playerCount = 0;
  var timer = null;
  var rosterSeq = 0;

  function nowServer() { return Date.now() / 1000 + offset; }

  function show(name) {
    Object.keys(screens).forEach(function (key) { screens[key].hidden = key !== name; });
  }

  function toast(text) {
    var box = $("live-toast");
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toast.t);
    toast.t = setTimeout(function () { box.hidden = true; }, 4000);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function setPhase(value) {
    phase = value;
    var label = "下一步";
    nextButton.disabled = false;
    if (phase === "lobby") label = "开始";
    else if (phase === "question_open") label = "公布答案";
    else if (phase === "revealed") label = index + 1 >= total ? "结束并公布名次" : "下一题";
    else { label = "已结束"; nextButton.disabled = true; }
    nextButton.textContent = label;
    nextButton.hidden = phase === "finished" || phase === "cancelled";
    finishButton.hidden = phase === "finished" || phase === "cancelled";
  }

  // Lobby -------------------------------------------------------------------------------------------

  function loadRoster() {
    var seq = ++rosterSeq;
    fetch(root.dataset.playersUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (seq !== rosterSeq) return;
        if (data.phase === "cancelled") renderPodium([], true);
        else renderRoster(data.players, data.count);
      })
      .catch(function () {});
  }

  function renderRoster(players, count) {
    playerCount = count;
    $("live-player-count").textContent = count;
    $("live-answer-total").textContent = count;
    $("live-players-empty").hidden = count > 0;
    var list = $("live-players");
    var keep = {};
    players.forEach(function (player) { keep[player.id] = true; });
    // Keep the chips already shown (their pop-in animation runs once), drop the gone, append the new.
    Array.prototype.slice.call(list.children).forEach(function (item) {
      if (!keep[item.dataset.id]) item.remove();
    });
    players.forEach(function (player) {
      if (list.querySelector('[data-id="' + player.id + '"]')) return;
      var item = el("li", "live-player");
      item.dataset.id = player.id;
      item.appendChild(el("span", "live-player-name", player.nickname));
      var kick = el("button", "live-kick", "移出");
      kick.type = "button";
      kick.title = "移出 " + player.nickname;
      kick.setAttribute("aria-label", "移出 " + player.nickname);
      kick.addEventListener("click", function () {
        if (window.confirm("确定把“" + player.nickname + "”移出本场竞答吗？")) {
          send({ type: "kick", player_id: player.id });
          item.remove();
        }
      });
      item.appendChild(kick);
      list.appendChild(item);
    });
  }

  // Questions ---------------------------------------------------------------------------------------

  function renderQuestion(message) {
    question = message;
    index = message.index;
    total = message.total;
    offset = message.server_time - Date.now() / 1000;
    $("live-progress").textContent = "第 " + (index + 1) + " / " + total + " 题";
    $("live-q-index").textContent = "第 " + (index + 1) + " / " + total + " 题";
    $("live-q-kind").textContent = KINDS[message.kind] || "";
    $("live-q-text").textContent = message.text;
    $("live-answered").textContent = "0";
    $("live-answer-total").textContent = playerCount;
    var list = $("live-choices");
    list.textContent = "";
    list.className = "live-choices";
    message.choices.forEach(function (choice, i) {
      var item = el("li", "live-choice live-c-" + COLOURS[i % COLOURS.length]);
      item.dataset.id = choice.id;
      item.appendChild(el("span", "live-shape", SHAPES[i % SHAPES.length]));
      item.appendChild(el("span", "live-choice-text", choice.text));
      list.appendChild(item);
    });
    $("live-reveal").hidden = true;
    $("live-timer").hidden = false;
    show("question");
    setPhase("question_open");
    startTimer(message.opens_at, message.closes_at);
  }

  function startTimer(opensAt, closesAt) {
    clearInterval(timer);
    var span = Math.max(1, closesAt - opensAt);
    function tick() {
      var left = Math.max(0, closesAt - nowServer());
      $("live-timer-fill").style.width = (100 * left / span) + "%";
      $("live-timer-left").textContent = Math.ceil(left);
      $("live-timer").classList.toggle("live-timer-low", left <= 5);
      if (left <= 0) clearInterval(timer);
    }
    tick();
    timer = setInterval(tick, 100);
  }

  function renderReveal(message) {
    clearInterval(timer);
    $("live-timer").hidden = true;
    setPhase("revealed");
    var correct = (message.correct_choice_ids || []).map(String);
    var list = $("live-choices");
    list.classList.add("live-revealed");
    Array.prototype.forEach.call(list.children, function (item) {
      var ok = correct.indexOf(item.dataset.id) !== -1;
      item.classList.toggle("live-correct", ok);
      item.classList.toggle("live-wrong", !ok);
      if (ok && !item.querySelector(".live-tick")) item.appendChild(el("span", "live-tick", "✔"));
    });
    // Distribution: one bar per choice, in the choices' colours.
    var chart = $("live-chart");
    chart.textContent = "";
    var counts = message.distribution || {};
    var choices = question ? question.choices : Object.keys(counts).map(function (id) { return { id: id }; });
    var max = 1;
    choices.forEach(function (c) { max = Math.max(max, counts[String(c.id)] || 0); });
    choices.forEach(function (choice, i) {
      var n = counts[String(choice.id)] || 0;
      var column = el("div", "live-bar-col live-c-" + COLOURS[i % COLOURS.length] +
        (correct.indexOf(String(choice.id)) !== -1 ? " live-correct" : ""));
      column.appendChild(el("b", "live-bar-n", n));
      var bar = el("div", "live-bar-fill");
      bar.style.height = Math.max(4, 100 * n / max) + "%";
      column.appendChild(el("div", "live-bar-track")).appendChild(bar);
      column.appendChild(el("span", "live-bar-shape", SHAPES[i % SHAPES.length]));
      chart.appendChild(column);
    });
    var top = $("live-top");
    top.textContent = "";
    (message.top || []).forEach(function (row) {
      var item = el("li");
      item.appendChild(el("span", "live-rank", row.rank));
      item.appendChild(el("span", "live-top-name", row.nickname));
      item.appendChild(el("b", "live-top-score", row.score));
      top.appendChild(item);
    });
    if (!(message.top || []).length) top.appendChild(el("li", "muted", "暂无得分"));
    $("live-reveal").hidden = false;
    show("question");
  }

  function renderPodium(podium, cancelled) {
    clearInterval(timer);
    setPhase(cancelled ? "cancelled" : "finished");
    var stage = $("live-podium");
    stage.textContent = "";
    var places = [1, 0, 2]; // second, first, third from left to right
    places.forEach(function (i) {
      var row = podium[i];
      var step = el("div", "live-step live-step-" + (i + 1));
      if (row) {
        step.appendChild(el("span", "live-step-name", row.nickname));
        step.appendChild(el("span", "live-step-score", row.score + " 分"));
      }
      step.appendChild(el("span", "live-step-block", row ? row.rank : ""));
      stage.appendChild(step);
    });
    var rest = $("live-podium-rest");
    rest.textContent = "";
    podium.slice(3).forEach(function (row) {
      var item = el("li");
      item.appendChild(el("span", "live-rank", row.rank));
      item.appendChild(el("span", "live-top-name", row.nickname));
      item.appendChild(el("b", "live-top-score", row.score));
      rest.appendChild(item);
    });
    if (!podium.length) {
      stage.textContent = "";
      stage.appendChild(el("p", "empty", cancelled ? "本场竞答已取消。" : "本场竞答没有成绩。"));
    }
    show("podium");
  }

  // Socket ------------------------------------------------------------------------------------------

  var handlers = {
    state: function (m) {
      index = m.index;
      total = m.total;
      playerCount = m.player_count;
      setPhase(m.phase);
      if (m.phase === "lobby") show("lobby");
      else if (m.phase === "revealed") {
        show("question");
        $("live-q-index").textContent = "第 " + (index + 1) + " / " + total + " 题";
        $("live-timer").hidden = true;
        if (!question) $("live-q-text").textContent = "本题答案已公布，请点“" + nextButton.textContent + "”继续。";
      } else if (m.phase === "cancelled") renderPodium([], true);
    },
    lobby: function (m) {
      playerCount = m.player_count;
      $("live-player-count").textContent = m.player_count;
      $("live-answer-total").textContent = m.player_count;
      loadRoster();
    },
    question: renderQuestion,
    answer_count: function (m) {
      if (question && m.question_id !== question.question_id) return;
      $("live-answered").textContent = m.answered;
      $("live-answer-total").textContent = m.players;
    },
    reveal: renderReveal,
    game_over: function (m) { renderPodium(m.podium || []); },
    pong: function (m) { offset = m.server_time - Date.now() / 1000; },
    error: function (m) { toast(m.message); }
  };

  function send(message) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    else toast("连接已断开，正在重连…");
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + root.dataset.wsPath);
    ws.onopen = function () {
      retry = 0;
      $("live-conn").textContent = "已连接";
      $("live-conn").className = "live-conn live-conn-ok";
    };
    ws.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      var handler = handlers[message.type];
      if (handler) handler(message);
    };
    ws.onclose = function () {
      $("live-conn").textContent = "连接断开，正在重连…";
      $("live-conn").className = "live-conn live-conn-bad";
      nextButton.disabled = true;
      if (closed) return;
      var delay = Math.min(15000, 500 * Math.pow(2, retry++));
      setTimeout(connect, delay);
    };
  }

  nextButton.addEventListener("click", function () {
    nextButton.disabled = true; // re-enabled by the server's answer (question / reveal / state)
    send({ type: "next" });
    setTimeout(function () { if (phase !== "finished") nextButton.disabled = false; }, 1500);
  });
  finishButton.addEventListener("click", function () {
    if (!window.confirm("确定现在结束本场竞答吗？")) return;
    send({ type: "finish" });
    // Cancelling in the lobby sends the console no event (only the phones hear of it): ask the roster.
    if (phase === "lobby") setTimeout(loadRoster, 800);
  });
  setInterval(function () {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "ping" }));
  }, 20000);
  window.addEventListener("beforeunload", function () { closed = true; });

  setPhase(phase);
  if (phase === "finished" || phase === "cancelled") show("podium");
  connect();
})();
