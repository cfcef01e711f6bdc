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

    // Photos taken without a signal wait in IndexedDB (as the shrunk JPEG), named in the draft by a local id
    // (Form.LocalPhotos); they are uploaded first when the signal returns and the record then cites their ids.
    var PHOTO_DB = "cd-visit-photos";

    function photoStore(mode) {
        return new Promise(function (resolve, reject) {
            if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
            var open = indexedDB.open(PHOTO_DB, 1);
            open.onupgradeneeded = function () { open.result.createObjectStore("photos"); };
            open.onerror = function () { reject(open.error); };
            open.onsuccess = function () { resolve(open.result.transaction("photos", mode).objectStore("photos")); };
        });
    }

    function request(make) {
        return function (store) {
            return new Promise(function (resolve, reject) {
                var r = make(store);
                r.onsuccess = function () { resolve(r.result); };
                r.onerror = function () { reject(r.error); };
            });
        };
    }

    var photos = {
        keep: function (id, blob) { return photoStore("readwrite").then(request(function (s) { return s.put(blob, id); })); },
        get: function (id) { return photoStore("readonly").then(request(function (s) { return s.get(id); })); },
        drop: function (id) { return photoStore("readwrite").then(request(function (s) { return s.delete(id); })).catch(function () { }); },
        // One photo to the session page's handler: { status, json }; a network failure rejects.
        upload: function (url, blob) {
            var body = new FormData();
            body.append("file", blob, "photo.jpg");
            body.append("__RequestVerificationToken", token());
            return fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (response) {
                return response.json().catch(function () { return {}; }).then(function (json) { return { status: response.status, json: json }; });
            });
        },
        // The record's fields with each waiting photo uploaded and cited by its id. A photo the server refuses (4xx) is
        // dropped and told; a failed connection or an unwell server rejects, so that the record waits too.
        send: function (url, fields) {
            var out = [];
            return fields.reduce(function (chain, pair) {
                return chain.then(function () {
                    if (pair[0] !== "Form.LocalPhotos") { out.push(pair); return; }
                    return photos.get(pair[1]).then(function (blob) {
                        if (!blob) { return; }
                        return photos.upload(url, blob).then(function (answer) {
                            if (answer.status === 200 && answer.json.id) {
                                out.push(["Form.PhotoIds", answer.json.id]);
                                return photos.drop(pair[1]);
                            }
                            if (answer.status >= 400 && answer.status < 500 && answer.status !== 401 && answer.status !== 403) {
                                say("有一张照片未被接受：" + (answer.json.message || answer.status));
                                return photos.drop(pair[1]);
                            }
                            throw new Error("photo not stored yet");
                        });
                    });
                });
            }, Promise.resolve()).then(function () { return out; });
        }
    };

    function photoUrl(url) { return url.split("?")[0] + "?handler=Photo"; }

    function send(item) {
        return photos.send(photoUrl(item.url), item.fields).then(function (fields) {
            item.fields = fields;
            return post(item);
        });
    }

    function post(item) {
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

    window.controlDropout = window.controlDropout || {};
    window.controlDropout.outbox = { read: read, write: write, flush: flush, say: say };
    window.controlDropout.photos = photos;

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
                var files = ["/css/site.css", "/css/visit-evidence.css", "/js/site.js", "/js/visit-form.js", "/js/signature-pad.js"];
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
