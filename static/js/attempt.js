// Saves each answer as soon as it is given (no reload) and counts down to the server's deadline.
// Without JavaScript the same form posts normally; nothing here is needed for the test to work.
(function () {
  "use strict";
  var form = document.querySelector("[data-answer-form]");
  var state = document.querySelector("[data-save-state]");
  if (form && window.fetch) {
    var save = function () {
      var data = new FormData(form);
      if (state) state.textContent = "Đang lưu…";
      fetch(form.action || window.location.href, {
        method: "POST", body: data, credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
      }).then(function (r) {
        var clockEl = document.querySelector(".countdown[data-result-url]");
        if (r.status === 409 && clockEl) { window.location.href = clockEl.getAttribute("data-result-url"); }
        return r.json().then(function (j) { return [r.ok, j]; });
      })
        .then(function (res) {
          if (!state) return;
          state.textContent = res[0] ? "✓ Đã lưu câu trả lời" : (res[1].message || "Chưa lưu được, hãy bấm nút bên dưới.");
        })
        .catch(function () { if (state) state.textContent = "Mất kết nối: câu trả lời sẽ được lưu khi bạn bấm nút bên dưới."; });
    };
    form.addEventListener("change", save);
  }
  var clock = document.querySelector(".countdown[data-deadline]");
  if (clock) {
    var deadline = parseInt(clock.getAttribute("data-deadline"), 10) * 1000;
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      clock.textContent = "Còn " + m + ":" + (s < 10 ? "0" : "") + s;
      if (left === 0) { window.location.href = clock.getAttribute("data-result-url"); return; }
      window.setTimeout(tick, 1000);
    };
    tick();
  }
})();
