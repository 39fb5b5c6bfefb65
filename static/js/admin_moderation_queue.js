// The moderation queue: a "select every item on this page" checkbox, shown only when this
// script runs (without it, each item is still selected on its own).
(function () {
  "use strict";
  var all = document.getElementById("queue-select-all");
  if (!all) {
    return;
  }
  var items = Array.prototype.slice.call(document.querySelectorAll("input.queue-item"));
  function reflect() {
    var checked = items.filter(function (item) { return item.checked; }).length;
    all.checked = checked === items.length;
    all.indeterminate = checked > 0 && checked < items.length;
  }
  all.addEventListener("change", function () {
    items.forEach(function (item) { item.checked = all.checked; });
  });
  items.forEach(function (item) { item.addEventListener("change", reflect); });
  all.closest(".queue-select-all").hidden = false;
  reflect();
})();
