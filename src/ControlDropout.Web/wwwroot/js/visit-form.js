// The visit record form on a phone with a weak signal: every change is kept on the phone as a
// draft; a record sent while the connection is down waits in the outbox (site.js) and goes when
// the connection returns. Without this script the form still posts normally.
(function () {
    "use strict";
    var form = document.getElementById("visit-form");
    if (!form || !window.controlDropout) { return; }
    var outbox = window.controlDropout.outbox;
    var key = form.getAttribute("data-draft-key");
    var DRAFT = "cd.visit.draft." + key;

    function fields() {
        var pairs = [];
        new FormData(form).forEach(function (value, name) {
            if (name !== "__RequestVerificationToken") { pairs.push([name, String(value)]); }
        });
        return pairs;
    }

    function restore(pairs) {
        var byName = {};
        pairs.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
        Array.prototype.forEach.call(form.elements, function (el) {
            if (!el.name || el.name === "__RequestVerificationToken" || !(el.name in byName)) {
                if (el.type === "checkbox" && el.name) { el.checked = false; }
                return;
            }
            var values = byName[el.name];
            if (el.type === "checkbox" || el.type === "radio") { el.checked = values.indexOf(el.value) >= 0; }
            else { el.value = values[0]; }
        });
    }

    var saved = localStorage.getItem(DRAFT);
    if (saved) {
        try { restore(JSON.parse(saved)); outbox.say("已恢复本机保存的草稿。"); } catch (e) { localStorage.removeItem(DRAFT); }
    }
    form.addEventListener("input", function () { localStorage.setItem(DRAFT, JSON.stringify(fields())); });
    form.addEventListener("change", function () { localStorage.setItem(DRAFT, JSON.stringify(fields())); });

    function keepForLater() {
        var items = outbox.read().filter(function (item) { return item.key !== key; });
        items.push({ key: key, url: form.action || location.pathname, fields: fields(), title: document.title });
        outbox.write(items);
        outbox.say("信号中断：记录已保存在本机，恢复联网后会自动提交。");
    }

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        localStorage.setItem(DRAFT, JSON.stringify(fields()));
        if (!navigator.onLine) { keepForLater(); return; }
        var body = new URLSearchParams(new FormData(form));
        fetch(form.action || location.pathname, {
            method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" }
        }).then(function (response) {
            if (response.status === 200) {
                return response.json().then(function (json) {
                    if (json.ok !== true) { throw new Error("not the record page's answer"); }
                    localStorage.removeItem(DRAFT);
                    location.href = json.redirect || "/my/week";
                }).catch(function () {
                    // The sign-in page answered (the session ended): keep the record for later, then sign in.
                    keepForLater();
                    location.href = "/login?ReturnUrl=" + encodeURIComponent(location.pathname);
                });
            }
            // Refused: post the form the plain way, so that the page shows each message beside its field.
            HTMLFormElement.prototype.submit.call(form);
        }, keepForLater);
    });
})();
