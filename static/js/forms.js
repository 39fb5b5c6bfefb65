// Forms: focus on the error summary (templates/_error_summary.html) and a preview of a chosen
// photo. Both improve forms that work without JavaScript.
(function () {
  "use strict";

  function fieldOf(target) {
    if (target.matches("input, textarea, select")) { return target; }
    return target.querySelector("input:checked, input, textarea, select");
  }

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    // A link to a field focuses the field itself and shows its label or legend above it.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      var field = target && fieldOf(target);
      if (!field) { return; }
      event.preventDefault();
      var group = field.closest("fieldset, .mb-3, .form-check") || field;
      group.scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }

  // The chosen photo, drawn on a canvas (no new image source for the page's policy to allow).
  function showPreview(input) {
    var box = document.createElement("div");
    box.className = "photo-preview";
    box.hidden = true;
    var canvas = document.createElement("canvas");
    canvas.setAttribute("aria-hidden", "true");
    var note = document.createElement("p");
    note.className = "photo-preview-note";
    box.appendChild(canvas);
    box.appendChild(note);
    input.insertAdjacentElement("afterend", box);

    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || !window.createImageBitmap) { box.hidden = true; return; }
      createImageBitmap(file).then(function (bitmap) {
        var scale = Math.min(1, 480 / Math.max(bitmap.width, bitmap.height));
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        canvas.hidden = false;
        note.textContent = input.dataset.previewShown.replace("%(name)s", file.name);
        box.hidden = false;
      }, function () {
        // Some photos (HEIC from an iPhone, for one) cannot be drawn here but upload fine.
        canvas.hidden = true;
        note.textContent = input.dataset.previewNone.replace("%(name)s", file.name);
        box.hidden = false;
      });
    });
  }

  document.querySelectorAll("input[type=file][data-preview-shown]").forEach(showPreview);
}());

// After posting, the words that say what happens next take the focus (they are read first).
(function () {
  "use strict";
  if (document.querySelector("[data-error-summary]")) { return; }
  var message = document.querySelector("[data-focus-on-load]");
  if (message) { message.focus(); }
}());

// A new memorial's time zone starts as the family's own, when the place list names it.
(function () {
  "use strict";
  var input = document.querySelector("input[data-zone-from-browser][list]");
  if (!input || !input.list) { return; }
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  var place = zone && input.list.querySelector('option[data-first][data-zone="' + zone + '"], ' +
    'option[data-first][data-old-zones~="' + zone + '"]');
  if (place) { input.value = place.value; }
}());
