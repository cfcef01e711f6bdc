// Scripts only add comfort: every page works without them.
// Visit records saved on the phone while the signal was down (see visit-form.js) are sent from
// whichever page is open once the connection returns.
(function () {
    "use strict";
    var OUTBOX = "cd.visit.outbox";

    function read() {
        try { return JSON.parse(localStorage.getItem(OUTBOX) || "[]"); } catch (e) { return []; }
    }

    function write(items) {
        if (items.length === 0) { localStorage.removeItem(OUTBOX); } else { localStorage.setItem(OUTBOX, JSON.stringify(items)); }
    }

    function say(text) {
        var status = document.getElementById("draft-status");
        if (status) { status.textContent = text; }
    }

    // The antiforgery token of the page now open: a token saved with the draft may have expired.
    function token() {
        var input = document.querySelector("input[name=__RequestVerificationToken]");
        return input ? input.value : "";
    }

    function send(item) {
        var body = new URLSearchParams();
        item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
        body.set("__RequestVerificationToken", token());
        return fetch(item.url, {
            method: "POST",
            body: body,
            credentials: "same-origin",
            headers: { "Accept": "application/json" }
        }).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (json) {
                return { status: response.status, json: json };
            });
        });
    }

    var flushing = false;

    function flush() {
        var items = read();
        if (flushing || items.length === 0 || !navigator.onLine) { return Promise.resolve(); }
        flushing = true;
        var left = [];
        var sent = 0;
        return items.reduce(function (chain, item) {
            return chain.then(function () {
                return send(item).then(function (answer) {
                    if (answer.status === 200 && answer.json.ok === true) {
                        sent++;
                        localStorage.removeItem("cd.visit.draft." + item.key);
                    } else if (answer.status === 422) {
                        // The server refused it: keep it as a draft so the teacher can correct it on its page.
                        localStorage.setItem("cd.visit.draft." + item.key, JSON.stringify(item.fields));
                        say("有一条离线记录需要修改后再提交：" + item.title);
                    } else {
                        // Signed out meanwhile (the sign-in page answered), or the server is unwell: keep it and try later.
                        left.push(item);
                    }
                }, function () { left.push(item); });
            });
        }, Promise.resolve()).then(function () {
            write(left);
            flushing = false;
            if (sent > 0) { say("已自动提交 " + sent + " 条离线保存的送教记录。"); }
            else if (left.length > 0) { say("还有 " + left.length + " 条送教记录保存在本机，联网后自动提交。"); }
        });
    }

    window.controlDropout = { outbox: { read: read, write: write, flush: flush, say: say } };

    // Pages kept on the phone (sw.js). The week page keeps itself and each of its sessions' pages, so
    // that the visit form opens in a village without a signal; the sign-in page clears them, so the
    // next person to sign in on this phone never sees the last one's children.
    var PAGES = "cd-pages-v1";

    function keep(href) {
        return fetch(href, { credentials: "same-origin" }).then(function (response) {
            if (response.ok && !response.redirected) {
                return caches.open(PAGES).then(function (cache) { return cache.put(href, response); });
            }
        }).catch(function () { });
    }

    if ("serviceWorker" in navigator && window.caches) {
        if (location.pathname === "/login") {
            caches.delete(PAGES);
        } else {
            navigator.serviceWorker.register("/sw.js").catch(function () { });
            if (location.pathname.indexOf("/my/week") === 0 && navigator.onLine) {
                var links = Array.prototype.map.call(document.querySelectorAll("a[href^='/sessions/']"), function (a) { return a.getAttribute("href"); });
                // The files those pages need too (found again without their version suffix, see sw.js).
                var files = ["/css/site.css", "/js/site.js", "/js/visit-form.js"];
                Promise.all([location.pathname + location.search].concat(links, files).map(keep)).then(function () {
                    document.documentElement.setAttribute("data-offline-ready", "yes");
                });
            }
        }
    }

    window.addEventListener("online", flush);
    if (read().length > 0) {
        if (navigator.onLine) { flush(); } else { say("有 " + read().length + " 条送教记录保存在本机，联网后自动提交。"); }
    }
})();
