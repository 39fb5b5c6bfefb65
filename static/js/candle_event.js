// The candle event page: countdown, the visitor's own time, and a light poll for new candles.
// Everything here improves a page that already works without JavaScript.
(function () {
  "use strict";

  var root = document.querySelector("[data-candle-event]");
  if (!root) { return; }

  var POLL_MS = 5000;
  var startsAt = Date.parse(root.dataset.startsAt);
  var endsAt = Date.parse(root.dataset.endsAt);
  // Countdowns subtract instants (milliseconds since the epoch, UTC), corrected by how far this
  // device's clock is from the server's when the page was made.
  var clockSkew = Date.parse(root.dataset.serverNow) - Date.now();
  var state = root.dataset.state;
  var polling = null;

  function now() { return Date.now() + clockSkew; }

  function rememberBrowserZone() {
    // A zone the visitor picked in the chooser stays; otherwise the browser's own is used.
    if (/(?:^|; )tz_chosen=1/.test(document.cookie)) { return; }
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (!zone) { return; }
    // Zone names (letters, digits, "/", "_", "-", "+") are valid cookie values as they are.
    var current = ((document.cookie.match(/(?:^|; )tz=([^;]*)/) || [])[1] || "").replace(/"/g, "");
    if (current !== zone) {
      document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax" +
        (location.protocol === "https:" ? "; secure" : "");
      // A floating event starts at a different instant in each zone: ask again in the right one.
      if (root.dataset.floating === "true" && document.cookie.indexOf("tz=") !== -1) {
        location.reload();
        return;
      }
    }
    var chooser = document.querySelector("[data-zone-chooser] select");
    if (chooser) { chooser.value = zone; }
    document.querySelectorAll("[data-local-zone]").forEach(function (el) { el.textContent = zone; });
    // The same form as the server writes: "15 October 2026, 19:00".
    var format = new Intl.DateTimeFormat("en-GB", {
      day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23", timeZone: zone
    });
    document.querySelectorAll("[data-local-time]").forEach(function (el) {
      var parts = {};
      format.formatToParts(new Date(el.dataset.localTime)).forEach(function (part) {
        parts[part.type] = part.value;
      });
      el.textContent = parts.day + " " + parts.month + " " + parts.year + ", " + parts.hour + ":" + parts.minute;
    });
  }

  function showFor(newState) {
    state = newState;
    root.dataset.state = newState;
    root.querySelectorAll("[data-when]").forEach(function (el) {
      el.hidden = el.dataset.when.split(" ").indexOf(newState) === -1;
    });
    var family = root.querySelector("[data-family-candle]");
    if (family) { family.classList.toggle("is-lit", newState !== "before"); }
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var left = Math.max(0, Math.ceil((startsAt - now()) / 1000));
    var el = root.querySelector("[data-countdown]");
    if (el) {
      var days = Math.floor(left / 86400);
      var rest = left % 86400;
      var text = two(Math.floor(rest / 3600)) + ":" + two(Math.floor(rest % 3600 / 60)) + ":" + two(rest % 60);
      el.textContent = (days > 0 ? days + " " + el.dataset.labelDays + " " : "") + text;
    }
    var clockState = now() < startsAt ? "before" : (now() < endsAt ? "live" : "ended");
    if (clockState !== state) {
      showFor(clockState);
      if (clockState !== "before") { poll(); }
    }
    if (clockState === "before") { setTimeout(tick, 1000 - (now() % 1000)); }
    else if (clockState === "live") { setTimeout(tick, Math.min(60000, endsAt - now() + 50)); }
  }

  function addCandle(list, candle) {
    if (list.querySelector('[data-candle-id="' + candle.id + '"]')) { return false; }
    var item = document.createElement("li");
    item.className = "lit-candle is-new";
    item.dataset.candleId = candle.id;
    var name = document.createElement("span");
    name.className = "candle-name";
    name.textContent = candle.name;
    item.appendChild(name);
    if (candle.message) {
      var message = document.createElement("span");
      message.className = "candle-message user-text";
      message.textContent = " " + candle.message;
      item.appendChild(message);
    }
    return item;
  }

  // The wall draws one candle for each lit, up to its size: new ones are copies of the
  // server's own drawing (a <template>), so no markup is ever built from what visitors wrote.
  function fillWall(count) {
    var wall = root.querySelector("[data-candle-wall]");
    var template = root.querySelector("template[data-wall-candle]");
    if (!wall || !template || !template.content.firstElementChild) { return; }
    var target = Math.min(count, parseInt(wall.dataset.wallSize, 10) || 0);
    while (wall.children.length < target) {
      wall.appendChild(template.content.firstElementChild.cloneNode(true));
    }
  }

  function render(status) {
    var count = root.querySelector("[data-candle-count]");
    if (count && count.textContent !== status.count_text) { count.textContent = status.count_text; }
    fillWall(status.count);
    var list = root.querySelector("[data-candle-list]");
    if (list) {
      status.candles.slice().reverse().forEach(function (candle) {
        var item = addCandle(list, candle);
        if (item) { list.insertBefore(item, list.firstChild); }
      });
      while (list.children.length > status.candles.length && list.children.length > 12) {
        list.removeChild(list.lastChild);
      }
    }
  }

  function poll() {
    if (document.hidden) { return; }
    fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) { if (status) { render(status); } })
      .catch(function () { /* A missed poll is retried at the next interval. */ });
  }

  function startPolling() {
    if (polling) { return; }
    // A little jitter so that thousands of pages do not ask at the same instant.
    polling = setInterval(function () {
      if (state === "live") { poll(); }
    }, POLL_MS + Math.floor(Math.random() * 1000));
  }

  rememberBrowserZone();
  root.querySelectorAll(".no-js-refresh").forEach(function (el) { el.hidden = true; });
  tick();
  startPolling();
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && state === "live") { poll(); }
  });
}());
