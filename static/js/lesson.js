// "Tôi đã học xong bài này" without a page reload; the plain form post still works without JavaScript.
(function () {
  "use strict";
  var form = document.querySelector("form[data-complete]");
  if (!form || !window.fetch) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var status = document.querySelector("[data-complete-status]");
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { if (!r.ok) throw new Error(); return r.json(); })
      .then(function (data) {
        form.hidden = true;
        if (status) status.textContent = "✓ Đã lưu: bạn đã học xong bài này. Tiến độ khóa học " + data.completed + "/" + data.total + " bài.";
        var bar = document.querySelector("#hoan-thanh progress");
        if (bar) bar.value = data.percent;
        var text = document.querySelector("#hoan-thanh .progress-text");
        if (text) text.textContent = "Tiến độ khóa học: " + data.completed + "/" + data.total + " bài";
      })
      .catch(function () { form.submit(); });
  });
})();
