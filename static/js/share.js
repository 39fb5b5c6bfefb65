// Share and copy-link buttons (templates/tributes/_share.html). Without JavaScript the address is
// a plain link to copy; with it, the Web Share API (phones) and a copy button where available.
(function () {
  "use strict";

  function setUp(box) {
    var url = box.getAttribute("data-share-url");
    var title = box.getAttribute("data-share-title");
    var status = box.querySelector("[data-share-status]");
    var shareButton = box.querySelector("[data-share-button]");
    var copyButton = box.querySelector("[data-copy-button]");

    function say(attribute) {
      status.textContent = status.getAttribute(attribute);
    }

    if (shareButton && navigator.share) {
      shareButton.hidden = false;
      shareButton.addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () {
          // Closing the share sheet is not an error worth telling anyone about.
        });
      });
    }
    if (copyButton && navigator.clipboard && window.isSecureContext) {
      copyButton.hidden = false;
      copyButton.addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(
          function () { say("data-copied"); },
          function () { say("data-not-copied"); }
        );
      });
    }
    // Where a button works, it replaces the plain link to the share section.
    var fallback = box.querySelector("[data-share-fallback]");
    if (fallback && ((shareButton && !shareButton.hidden) || (copyButton && !copyButton.hidden))) {
      fallback.hidden = true;
      // At the top of a page one button is enough: the share sheet can copy too.
      if (shareButton && !shareButton.hidden && copyButton) { copyButton.hidden = true; }
    }
  }

  document.querySelectorAll("[data-share]").forEach(setUp);
})();
