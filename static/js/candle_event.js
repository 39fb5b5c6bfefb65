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

  // The browser's own zone. Temporal answers at once; Intl first loads its locale data, which
  // on a slow phone is a long task at startup, so it is only the fallback.
  function browserZone() {
    try {
      if (window.Temporal && Temporal.Now) { return Temporal.Now.timeZoneId(); }
      return Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (e) { return ""; }
  }

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  // The same form as the server writes: "15 October 2026, 19:00".
  function localTimeWords(instant, zone, months) {
    if (window.Temporal) {
      var at = Temporal.Instant.from(instant).toZonedDateTimeISO(zone);
      return at.day + " " + months[at.month - 1] + " " + at.year + ", " + pad(at.hour) + ":" + pad(at.minute);
    }
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      day: "numeric", month: "numeric", year: "numeric", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23", timeZone: zone
    }).formatToParts(new Date(instant)).forEach(function (part) { parts[part.type] = part.value; });
    return parts.day + " " + months[parts.month - 1] + " " + parts.year + ", " + parts.hour + ":" + parts.minute;
  }

  function rememberBrowserZone() {
    // A zone the visitor picked in the chooser stays; otherwise the browser's own is used.
    if (/(?:^|; )tz_chosen=1/.test(document.cookie)) { return; }
    var zone = browserZone();
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
    // The chooser's datalist knows each zone's places, what people call its time, and its old
    // names (browsers without Temporal may say "Asia/Calcutta" for Asia/Kolkata).
    var place = document.querySelector('#zone-places option[data-first][data-zone="' + zone + '"], ' +
      '#zone-places option[data-first][data-old-zones~="' + zone + '"]');
    // The server wrote the page in this zone already: nothing to change.
    if ((place ? place.dataset.zone : zone) === root.dataset.visitorZone) { return; }
    var chooser = document.querySelector("[data-zone-chooser] input[list]");
    if (chooser && place) { chooser.value = place.value; }
    var timeName = place ? place.dataset.timeName : zone.split("/").pop().replace(/_/g, " ");
    document.querySelectorAll("[data-local-zone]").forEach(function (el) { el.textContent = timeName; });
    var months = root.dataset.monthNames.split(",");
    document.querySelectorAll("[data-local-time]").forEach(function (el) {
      el.textContent = localTimeWords(el.dataset.localTime, zone, months);
    });
    // "That is 19:00 your time" only when the visitor's clock shows another time than the event's.
    document.querySelectorAll("[data-your-time]").forEach(function (el) {
      el.hidden = el.querySelector("[data-local-time]").textContent === el.dataset.yourTime;
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

  // "in 3 days" until the last day, then "in 5 hours", then "in 12 minutes", as the server says it.
  function countdownWords(el, seconds) {
    if (seconds <= 0) { return el.dataset.now; }
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor(seconds % 86400 / 3600);
    var minutes = Math.max(1, Math.ceil(seconds / 60));
    var count = days || hours || minutes;
    var unit = days ? "day" : (hours ? "hour" : "minute");
    var template = count === 1 ? el.dataset[unit] : el.dataset[unit + "s"];
    return template.replace("%(count)s", count);
  }

  function tick() {
    var left = Math.max(0, Math.ceil((startsAt - now()) / 1000));
    var el = root.querySelector("[data-countdown]");
    if (el) {
      var words = countdownWords(el, left);
      if (el.textContent !== words) { el.textContent = words; }
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

  // After lighting, the page opens at the visitor's candle: focus moves to the thanks there.
  if (location.hash === "#your-candle") {
    var yours = document.getElementById("your-candle");
    if (yours) { yours.focus(); }
  }

  rememberBrowserZone();
  root.querySelectorAll(".no-js-refresh").forEach(function (el) { el.hidden = true; });
  tick();
  startPolling();
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && state === "live") { poll(); }
  });
}());
