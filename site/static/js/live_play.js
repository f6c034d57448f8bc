/* A player's phone in a live class game: speaks /ws/play/<pin>/ (docs/protocol.md). No framework. */
(function () {
  "use strict";

  var root = document.getElementById("live-play");
  if (!root) return;

  var COLOURS = ["red", "blue", "amber", "green", "purple", "teal"];
  var SHAPES = ["▲", "◆", "●", "■", "★", "⬟"];
  var PIN = root.dataset.pin;
  var TOKEN_KEY = "clearsky.live.token." + PIN;

  var $ = function (id) { return document.getElementById(id); };
  var SCREENS = ["p-connecting", "p-join", "p-wait", "p-question", "p-submitted", "p-result", "p-over", "p-stop"];

  var ws = null;
  var retry = 0;
  var joined = false;
  var stopped = false;     // kicked, game over, unknown game: no reconnect
  var offset = 0;          // server clock - local clock, in seconds
  var current = null;      // the open question
  var answered = {};       // question_id -> true once acknowledged
  var picks = {};          // question_id -> [choice ids] this page sent
  var selected = [];       // multiple choice: toggled ids before submit
  var timer = null;
  var screen = "p-connecting";

  function storage(action, value) {
    try {
      if (action === "get") return window.localStorage.getItem(TOKEN_KEY);
      if (action === "set") window.localStorage.setItem(TOKEN_KEY, value);
      if (action === "remove") window.localStorage.removeItem(TOKEN_KEY);
    } catch (e) { /* private mode: no resume, still playable */ }
    return null;
  }

  function show(id) {
    screen = id;
    SCREENS.forEach(function (name) { $(name).hidden = name !== id; });
  }

  function toast(text) {
    var box = $("p-toast");
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toast.t);
    toast.t = setTimeout(function () { box.hidden = true; }, 3500);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function send(message) {
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify(message));
      return true;
    }
    toast("连接中断，正在重连…");
    return false;
  }

  function stop(text) {
    stopped = true;
    clearInterval(timer);
    $("p-stop-text").textContent = text;
    show("p-stop");
    if (ws) ws.close();
  }

  // Joining -----------------------------------------------------------------------------------------

  function showJoin(error) {
    var box = $("p-join-error");
    box.textContent = error || "";
    box.hidden = !error;
    $("p-join-button").disabled = false;
    show("p-join");
  }

  $("p-join-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("p-nick");
    var nickname = input ? input.value.trim() : "";
    if (input && !nickname) { showJoin("请填写昵称。"); return; }
    if (send({ type: "join", nickname: nickname })) $("p-join-button").disabled = true;
  });

  var another = $("p-nick-new");
  if (another) {
    another.addEventListener("click", function () {
      fetch(root.dataset.nicknameUrl, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { $("p-nick").value = data.nickname; })
        .catch(function () { toast("暂时无法获取昵称，请自己输入一个。"); });
    });
  }

  // Questions ---------------------------------------------------------------------------------------

  function renderQuestion(m) {
    current = m;
    offset = m.server_time - Date.now() / 1000;
    selected = [];
    $("p-q-index").textContent = "第 " + (m.index + 1) + " / " + m.total + " 题";
    $("p-q-text").textContent = m.text;
    var multiple = m.kind === "multiple";
    $("p-q-hint").hidden = !multiple;
    $("p-submit").hidden = !multiple;
    $("p-submit").disabled = true;
    var box = $("p-choices");
    box.textContent = "";
    box.className = "live-buttons live-buttons-" + Math.min(m.choices.length, 4);
    m.choices.forEach(function (choice, i) {
      var button = el("button", "live-answer live-c-" + COLOURS[i % COLOURS.length]);
      button.type = "button";
      button.dataset.id = choice.id;
      button.appendChild(el("span", "live-shape", SHAPES[i % SHAPES.length]));
      button.appendChild(el("span", "live-answer-text", choice.text));
      if (multiple) button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () {
        if (multiple) {
          var at = selected.indexOf(choice.id);
          if (at === -1) selected.push(choice.id); else selected.splice(at, 1);
          button.setAttribute("aria-pressed", at === -1 ? "true" : "false");
          $("p-submit").disabled = selected.length === 0;
        } else {
          answer([choice.id]);
        }
      });
      box.appendChild(button);
    });
    if (m.answered || answered[m.question_id]) {
      answered[m.question_id] = true;
      showSubmitted("已提交");
    } else {
      show("p-question");
    }
    startTimer(m.opens_at, m.closes_at);
  }

  function answer(ids) {
    if (!current) return;
    if (send({ type: "answer", question_id: current.question_id, choice_ids: ids })) {
      picks[current.question_id] = ids.slice();
      Array.prototype.forEach.call($("p-choices").children, function (b) { b.disabled = true; });
      $("p-submit").disabled = true;
    }
  }

  $("p-submit").addEventListener("click", function () { if (selected.length) answer(selected.slice()); });

  function showSubmitted(title) {
    $("p-submitted").querySelector(".live-submitted").textContent = title;
    show("p-submitted");
  }

  function startTimer(opensAt, closesAt) {
    clearInterval(timer);
    var span = Math.max(1, closesAt - opensAt);
    function tick() {
      var left = Math.max(0, closesAt - (Date.now() / 1000 + offset));
      $("p-timer-fill").style.width = (100 * left / span) + "%";
      $("p-timer-left").textContent = Math.ceil(left) + " 秒";
      if (left <= 0) {
        clearInterval(timer);
        if (screen === "p-question") showSubmitted("时间到");
      }
    }
    tick();
    timer = setInterval(tick, 200);
  }

  function sameSet(a, b) {
    if (a.length !== b.length) return false;
    var x = a.map(String).sort(), y = b.map(String).sort();
    return x.every(function (v, i) { return v === y[i]; });
  }

  function renderReveal(m) {
    clearInterval(timer);
    var verdict = $("p-verdict");
    verdict.className = "live-verdict";
    var mine = picks[m.question_id];
    if (m.correct_choice_ids === null || m.correct_choice_ids === undefined) {
      verdict.textContent = answered[m.question_id] ? "答案已公布，请看大屏幕" : "本题未作答";
    } else if (mine && answered[m.question_id]) {
      var ok = sameSet(mine, m.correct_choice_ids);
      verdict.textContent = ok ? "✔ 回答正确" : "✘ 回答错误";
      verdict.classList.add(ok ? "live-verdict-ok" : "live-verdict-bad");
    } else if (answered[m.question_id]) {
      verdict.textContent = "答案已公布，请看大屏幕";
    } else {
      verdict.textContent = "本题未作答";
      verdict.classList.add("live-verdict-bad");
    }
    $("p-standing").hidden = true;
    current = null;
    show("p-result");
  }

  function renderYou(m) {
    $("p-score").textContent = m.score;
    $("p-rank-wrap").hidden = !m.rank;
    $("p-rank").textContent = m.rank || "";
    $("p-result-score").textContent = m.score;
    $("p-result-rank").textContent = m.rank ? "第 " + m.rank + " 名 / 共 " + m.players + " 人" : "";
    $("p-standing").hidden = false;
    if (screen === "p-wait" || screen === "p-connecting") {
      $("p-verdict").textContent = "请看大屏幕";
      $("p-verdict").className = "live-verdict";
      show("p-result");
    }
  }

  function renderOver(m) {
    stopped = true;
    clearInterval(timer);
    var you = m.you;
    if (you) renderYou(you);
    $("p-final").textContent = you && you.rank
      ? "你获得第 " + you.rank + " 名（共 " + you.players + " 人），总分 " + you.score
      : (m.podium && m.podium.length ? "" : "本场竞答已结束。");
    var list = $("p-podium");
    list.textContent = "";
    (m.podium || []).forEach(function (row) {
      var item = el("li", "live-mini-step live-mini-" + row.rank);
      item.appendChild(el("span", "live-rank", row.rank));
      item.appendChild(el("span", "live-top-name", row.nickname));
      item.appendChild(el("b", "live-top-score", row.score));
      list.appendChild(item);
    });
    show("p-over");
  }

  // Socket ------------------------------------------------------------------------------------------

  var handlers = {
    lobby: function (m) {
      $("p-count").textContent = m.player_count;
      if (joined) { show("p-wait"); return; }
      var token = storage("get");
      if (token) send({ type: "resume", token: token });
      else if (screen !== "p-join") showJoin();
    },
    joined: function (m) {
      joined = true;
      retry = 0;
      storage("set", m.token);
      $("p-nickname").textContent = m.nickname;
      $("p-me").hidden = false;
      if (screen === "p-join" || screen === "p-connecting") show("p-wait");
    },
    question: renderQuestion,
    answer_ack: function (m) {
      answered[m.question_id] = true;
      // Points stay hidden until the reveal, so nobody learns the answer from the score.
      if (current && current.question_id === m.question_id) showSubmitted("已提交");
    },
    reveal: renderReveal,
    you: renderYou,
    game_over: renderOver,
    kicked: function (m) { storage("remove"); stop(m.message); },
    pong: function (m) { offset = m.server_time - Date.now() / 1000; },
    error: function (m) {
      switch (m.code) {
        case "bad_token":
          storage("remove");
          showJoin();
          break;
        case "kicked":
          storage("remove");
          stop(m.message);
          break;
        case "game_not_found":
        case "game_over":
          stop(m.message);
          break;
        case "nickname_taken":
        case "nickname_invalid":
          showJoin(m.message);
          break;
        case "late":
        case "not_open":
        case "wrong_question":
          if (screen === "p-question") showSubmitted("时间到");
          toast(m.message);
          break;
        case "duplicate":
          if (current) answered[current.question_id] = true;
          showSubmitted("已提交");
          break;
        default:
          toast(m.message);
          if (screen === "p-question") {
            Array.prototype.forEach.call($("p-choices").children, function (b) { b.disabled = false; });
            $("p-submit").disabled = selected.length === 0;
          }
      }
    }
  };

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + root.dataset.wsPath);
    ws.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      var handler = handlers[message.type];
      if (handler) handler(message);
    };
    ws.onclose = function (event) {
      var wasJoined = joined;
      joined = false;
      if (stopped) return;
      if (event.code === 1000 && wasJoined) {
        // The server replaced this socket: the same player continued in another tab.
        stop("你已在其他页面继续作答。");
        return;
      }
      if (event.code === 4004) { stop("找不到这个 PIN 对应的竞答，或竞答已结束。"); return; }
      toast("连接中断，正在重连…");
      var delay = Math.min(15000, 500 * Math.pow(2, retry++)) + Math.random() * 300;
      setTimeout(connect, delay);
    };
  }

  setInterval(function () {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "ping" }));
  }, 20000);

  connect();
})();
