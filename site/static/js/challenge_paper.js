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

  /* The paper: one question at a time; every answer is saved at once; the clock is the server's. */
  function initPaper(root) {
    var data = JSON.parse($("chal-data").textContent);
    var questions = data.questions;
    var csrf = root.querySelector("[name=csrfmiddlewaretoken]").value;
    var offset = data.server_now * 1000 - Date.now();  // server clock minus ours
    var deadline = data.deadline * 1000;
    var storeKey = "chal-index-" + data.attempt_id;
    var current = Math.min(parseInt(sessionStorage.getItem(storeKey) || "0", 10) || 0, questions.length - 1);
    var answers = {};
    var finishing = false;
    var confirmArmed = false;
    questions.forEach(function (q) { if (q.answer && q.answer.length) answers[q.index] = q.answer.slice(); });
    var typeLabels = { single: "单选题", multiple: "多选题（可选多项）", true_false: "判断题" };

    function post(url, body) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(body || {})
      }).then(function (r) { return r.json().then(function (j) { j.status = r.status; return j; }); });
    }

    function toResult() { window.location.assign(root.dataset.resultUrl); }

    function render() {
      var q = questions[current];
      sessionStorage.setItem(storeKey, String(current));
      $("chal-counter").textContent = "第 " + (current + 1) + " / " + questions.length + " 题";
      $("chal-type").textContent = typeLabels[q.type] || "";
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
      $("chal-saved").textContent = answers[q.index] ? "已保存" : "";
      confirmArmed = false;
      $("chal-submit").textContent = "交卷";
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
      $("chal-saved").textContent = "保存中…";
      post(root.dataset.answerUrl, { index: q.index, choice_ids: picked }).then(function (res) {
        if (res.ok) {
          if (questions[current].index === q.index) $("chal-saved").textContent = "已保存";
          if (q.type !== "multiple" && current < questions.length - 1 && questions[current].index === q.index) {
            setTimeout(function () { if (questions[current].index === q.index) { current += 1; render(); } }, 250);
          }
        } else if (res.error === "expired" || res.error === "already_submitted") {
          toResult();
        } else {
          $("chal-error").textContent = res.message || "保存失败，请重试。";
        }
      }).catch(function () { $("chal-error").textContent = "网络异常，答案未保存，请重新选择。"; });
    }

    function submit() {
      if (finishing) return;
      finishing = true;
      post(root.dataset.submitUrl, {}).then(toResult, toResult);
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
        this.textContent = "还有 " + missing + " 题未答，再点一次确认交卷";
        return;
      }
      submit();
    });
    render();
    tick();
    setInterval(tick, 250);
  }

  var paper = $("chal-paper");
  if (paper) initPaper(paper);
})();
