/* 五个一 teacher desk: keep a draft on the phone, preview photos, clear the draft once saved. No framework. */
(function () {
  "use strict";

  var DRAFT_FIELDS = ["activity", "date", "term", "participants", "description"];

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  // Desk page after a successful submit: drop the drafts of that class.
  var desk = document.querySelector("[data-saved-class]");
  if (desk && desk.dataset.savedClass && storage()) {
    var prefix = "fiveones-draft-" + desk.dataset.savedClass;
    Object.keys(localStorage).forEach(function (key) {
      if (key === prefix || key.indexOf(prefix + "-") === 0) { localStorage.removeItem(key); }
    });
  }

  var form = document.getElementById("log-form");
  if (!form) { return; }
  var store = storage();
  var key = form.dataset.draftKey;

  function field(name) { return form.elements.namedItem(name); }
  // Texts come from the template, so they follow the page's language.
  function text(name, fallback) { return form.dataset[name] || fallback; }

  function saveDraft() {
    if (!store) { return; }
    var draft = { savedAt: Date.now() };
    DRAFT_FIELDS.forEach(function (name) {
      var el = field(name);
      if (el && !el.disabled) { draft[name] = el.value; }
    });
    store.setItem(key, JSON.stringify(draft));
  }

  function restoreDraft() {
    if (!store || form.dataset.restore !== "1") { return; }
    var raw = store.getItem(key);
    if (!raw) { return; }
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { return; }
    var restored = false;
    DRAFT_FIELDS.forEach(function (name) {
      var el = field(name);
      if (!el || el.disabled || draft[name] === undefined || draft[name] === "") { return; }
      if (name === "activity" && !Array.prototype.some.call(el.options, function (o) { return o.value === draft[name]; })) { return; }
      if (el.value !== draft[name]) { el.value = draft[name]; restored = true; }
    });
    var note = form.querySelector(".draft-note");
    if (restored && note) { note.hidden = false; }
  }

  // Show what the chosen activity type needs as evidence.
  function showHints() {
    var select = field("activity");
    if (!select) { return; }
    var value = select.value;
    form.querySelectorAll(".evidence-hints li").forEach(function (li) {
      li.hidden = li.dataset.activity !== value;
    });
  }

  var photos = field("photos");
  var previews = form.querySelector(".photo-previews");
  var counter = form.querySelector(".photo-count");
  var max = parseInt(form.dataset.maxPhotos || "9", 10);
  var existing = parseInt(form.dataset.existingPhotos || "0", 10);
  var submit = form.querySelector("button[type=submit]");

  function showPreviews() {
    if (!photos || !previews) { return; }
    previews.querySelectorAll("img").forEach(function (img) { URL.revokeObjectURL(img.src); });
    previews.innerHTML = "";
    var files = Array.prototype.slice.call(photos.files || []);
    files.forEach(function (file, i) {
      var img = document.createElement("img");
      img.alt = text("textPreview", "预览") + " " + (i + 1);
      img.src = URL.createObjectURL(file);
      previews.appendChild(img);
    });
    var removed = form.querySelectorAll("input[name=remove_photos]:checked").length;
    var total = existing - removed + files.length;
    if (counter) {
      var label = text("textCount", "共 {n} 张照片").replace("{n}", total);
      if (total > max) { label += text("textMax", "，最多 {max} 张").replace("{max}", max); }
      counter.textContent = total ? label : "";
      counter.classList.toggle("error", total > max);
    }
    if (submit) { submit.disabled = total > max; }
  }

  restoreDraft();
  showHints();
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", function (event) {
    saveDraft();
    if (event.target.name === "activity") { showHints(); }
    if (event.target.name === "photos" || event.target.name === "remove_photos") { showPreviews(); }
  });
  form.addEventListener("submit", function (event) {
    saveDraft();
    var offline = form.querySelector(".offline-note");
    if (navigator.onLine === false) {
      event.preventDefault();
      if (offline) { offline.hidden = false; }
      return;
    }
    if (submit) { submit.disabled = true; submit.textContent = text("textUploading", "正在上传…"); }
  });
  window.addEventListener("online", function () {
    var offline = form.querySelector(".offline-note");
    if (offline) { offline.hidden = true; }
  });
  window.addEventListener("pageshow", function () { if (submit) { submit.disabled = false; } });
})();
