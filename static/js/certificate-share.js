// "Chứng nhận của tôi": the phone's share sheet and a copy button for each verification link.
// Without JavaScript the link stays in a read-only box that can be copied by hand.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".share[data-share-url]"), function (box) {
    var url = box.getAttribute("data-share-url");
    var title = box.getAttribute("data-share-title");
    var actions = box.querySelector(".share-actions");
    var state = box.querySelector("[data-share-state]");
    var shareButton = box.querySelector("[data-share]");
    var copyButton = box.querySelector("[data-copy]");
    if (actions) actions.hidden = false;
    if (shareButton) {
      if (navigator.share) {
        shareButton.addEventListener("click", function () {
          navigator.share({ title: title, url: url }).catch(function () {});
        });
      } else {
        shareButton.hidden = true;
      }
    }
    if (copyButton) {
      copyButton.addEventListener("click", function () {
        var done = function () { if (state) state.textContent = "✓ Đã sao chép link. Hãy dán vào Zalo hoặc tin nhắn."; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(url).then(done, function () { box.querySelector(".share-url").select(); });
        } else {
          box.querySelector(".share-url").select();
          document.execCommand("copy");
          done();
        }
      });
    }
  });
})();
