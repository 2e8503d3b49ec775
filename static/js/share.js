// The phone's own share sheet (Zalo, Messenger, SMS…) where the browser offers one; the links work without it.
(function () {
  "use strict";
  if (!navigator.share) return;
  Array.prototype.forEach.call(document.querySelectorAll("[data-share]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ title: button.getAttribute("data-share-title"), url: button.getAttribute("data-share") }).catch(function () {});
    });
  });
})();
