// Polls an import job's JSON status and moves the progress bar; reloads the page
// (which then shows the report) when the job has finished.
(function () {
  "use strict";
  var box = document.querySelector("[data-quiz-import-status]");
  if (!box || box.dataset.state === "done" || box.dataset.state === "failed") return;
  var url = box.dataset.quizImportStatus;
  var bar = box.querySelector(".quiz-progress__bar");
  var track = box.querySelector("[role=progressbar]");
  var percentText = box.querySelector("[data-quiz-import-percent]");

  function show(percent) {
    bar.style.width = percent + "%";
    track.setAttribute("aria-valuenow", String(percent));
    if (percentText) percentText.textContent = String(percent);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (job) {
        show(job.percent);
        if (job.state === "done" || job.state === "failed") {
          window.setTimeout(function () { window.location.reload(); }, 300);
        } else {
          window.setTimeout(poll, 500);
        }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }

  window.setTimeout(poll, 300);
})();
