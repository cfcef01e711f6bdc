// The visit record form on a phone with a weak signal: every change is kept on the phone as a
// draft (the signature's strokes and the check-in too); a record sent while the connection is down
// waits in the outbox (site.js) and goes when the connection returns, its photos first (kept in
// IndexedDB meanwhile, shrunk to ≤ 1600 px JPEG). Without this script the form still posts normally.
(function () {
    "use strict";
    var form = document.getElementById("visit-form");
    if (!form || !window.controlDropout || !window.controlDropout.outbox) { return; }
    var outbox = window.controlDropout.outbox;
    var photos = window.controlDropout.photos;
    var key = form.getAttribute("data-draft-key");
    var DRAFT = "cd.visit.draft." + key;
    var MAX_PHOTOS = 3, MAX_SIDE = 1600;
    var list = document.getElementById("photo-list");
    var picker = document.getElementById("photo-input");

    function fields() {
        var pairs = [];
        new FormData(form).forEach(function (value, name) {
            if (name !== "__RequestVerificationToken" && typeof value === "string") { pairs.push([name, value]); }
        });
        return pairs;
    }

    function save() { localStorage.setItem(DRAFT, JSON.stringify(fields())); }

    // --- which confirmation: the pad or the code is shown ---
    function confirmation() {
        var chosen = form.querySelector("input[name='Form.Confirmation']:checked");
        var value = chosen ? chosen.value : "None";
        form.classList.toggle("signing", value === "Signature");
        form.classList.toggle("coding", value === "Code");
    }
    form.addEventListener("change", confirmation);
    var code = document.getElementById("confirmation-code");
    if (code) {
        code.addEventListener("input", function () {
            var when = document.getElementById("confirmed-at");
            if (when && code.value.length === 4) { when.value = new Date().toISOString(); }
        });
    }

    // --- 签到: the phone's time, and a coarse position (≈ 100 m) if it gives one ---
    var checkIn = document.getElementById("check-in-button");
    function field(id, value) { var el = document.getElementById(id); if (el) { el.value = value; } }
    function said(text) { var el = document.getElementById("check-in-status"); if (el) { el.textContent = text; } }
    function clock(date) { return ("0" + date.getHours()).slice(-2) + ":" + ("0" + date.getMinutes()).slice(-2); }
    if (checkIn) {
        checkIn.addEventListener("click", function () {
            var now = new Date();
            field("check-in-at", now.toISOString());
            field("check-in-lat", ""); field("check-in-lon", ""); field("check-in-accuracy", "");
            said("已签到 " + clock(now) + "（正在获取位置…）");
            save();
            if (!navigator.geolocation) { said("已签到 " + clock(now) + "（手机未提供位置）"); return; }
            navigator.geolocation.getCurrentPosition(function (position) {
                field("check-in-lat", position.coords.latitude.toFixed(3));
                field("check-in-lon", position.coords.longitude.toFixed(3));
                field("check-in-accuracy", String(Math.min(100000, Math.round(position.coords.accuracy || 0))));
                said("已签到 " + clock(now) + "，已记录大致位置");
                save();
            }, function () {
                said("已签到 " + clock(now) + "（未获得位置）");
            }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 120000 });
        });
    }

    // --- photos ---
    function count() { return list ? list.querySelectorAll("li").length : 0; }

    function thumbnail(blob, li) {
        // The page's policy allows no blob: images: the thumbnail is drawn on a canvas.
        if (!window.createImageBitmap) { return; }
        createImageBitmap(blob).then(function (bitmap) {
            var canvas = document.createElement("canvas");
            var side = 192, scale = Math.max(side / bitmap.width, side / bitmap.height);
            canvas.width = side; canvas.height = side;
            canvas.getContext("2d").drawImage(bitmap, (side - bitmap.width * scale) / 2, (side - bitmap.height * scale) / 2, bitmap.width * scale, bitmap.height * scale);
            canvas.setAttribute("role", "img");
            canvas.setAttribute("aria-label", "送教照片");
            li.insertBefore(canvas, li.firstChild);
        }).catch(function () { });
    }

    function item(name, value, blob) {
        var li = document.createElement("li");
        if (blob) { thumbnail(blob, li); }
        else {
            var img = document.createElement("img");
            img.src = "/photos/" + encodeURIComponent(value); img.alt = "送教照片"; img.className = "thumb";
            li.appendChild(img);
        }
        var input = document.createElement("input");
        input.type = "hidden"; input.name = name; input.value = value;
        li.appendChild(input);
        var remove = document.createElement("button");
        remove.type = "button"; remove.className = "secondary photo-remove"; remove.textContent = "移除";
        li.appendChild(remove);
        list.appendChild(li);
        return li;
    }

    if (list) {
        list.addEventListener("click", function (event) {
            if (!event.target.classList || !event.target.classList.contains("photo-remove")) { return; }
            var li = event.target.closest("li");
            var input = li.querySelector("input[name='Form.LocalPhotos']");
            if (input && photos) { photos.drop(input.value); }
            li.remove();
            save();
        });
    }

    // On the phone: no side longer than 1600 px, as JPEG (a 12-megapixel photo becomes a few hundred KB).
    function shrink(file) {
        if (!window.createImageBitmap) { return Promise.resolve(file); }
        return createImageBitmap(file).then(function (bitmap) {
            var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
            var canvas = document.createElement("canvas");
            canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
            canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
            return new Promise(function (resolve) { canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.85); });
        }).catch(function () { return file; });
    }

    function keepOnPhone(blob) {
        var id = "local-" + Date.now() + "-" + Math.random().toString(36).slice(2, 8);
        return photos.keep(id, blob).then(function () {
            item("Form.LocalPhotos", id, blob);
            outbox.say("照片已保存在本机，联网后随记录一起上传。");
            save();
        }, function () { outbox.say("这部手机无法离线保存照片，请联网后再拍。"); });
    }

    if (picker && list && photos) {
        picker.addEventListener("change", function () {
            var file = picker.files && picker.files[0];
            picker.value = "";
            if (!file) { return; }
            if (count() >= MAX_PHOTOS) { outbox.say("每条记录最多 " + MAX_PHOTOS + " 张照片。"); return; }
            shrink(file).then(function (blob) {
                if (!navigator.onLine) { return keepOnPhone(blob); }
                return photos.upload(picker.getAttribute("data-upload"), blob).then(function (answer) {
                    if (answer.status === 200 && answer.json.id) { item("Form.PhotoIds", answer.json.id, blob); save(); return; }
                    if (answer.status >= 400 && answer.status < 500) { outbox.say("照片未被接受：" + (answer.json.message || answer.status)); return; }
                    return keepOnPhone(blob);
                }, function () { return keepOnPhone(blob); });
            });
        });
    }

    // --- the draft ---
    var DYNAMIC = { "Form.SignatureStrokes": true, "Form.PhotoIds": true, "Form.LocalPhotos": true };

    function restore(pairs) {
        var byName = {};
        pairs.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
        Array.prototype.forEach.call(form.elements, function (el) {
            if (!el.name || el.name === "__RequestVerificationToken" || DYNAMIC[el.name]) { return; }
            if (!(el.name in byName)) {
                if (el.type === "checkbox") { el.checked = false; }
                return;
            }
            var values = byName[el.name];
            if (el.type === "checkbox" || el.type === "radio") { el.checked = values.indexOf(el.value) >= 0; }
            else { el.value = values[0]; }
        });
        if (window.controlDropout.signature) { window.controlDropout.signature.load(byName["Form.SignatureStrokes"] || []); }
        if (list) {
            list.textContent = "";
            (byName["Form.PhotoIds"] || []).forEach(function (id) { item("Form.PhotoIds", id); });
            (byName["Form.LocalPhotos"] || []).forEach(function (id) {
                var li = item("Form.LocalPhotos", id);
                li.querySelector("img").remove();
                photos.get(id).then(function (blob) { if (blob) { thumbnail(blob, li); } else { li.remove(); } }).catch(function () { });
            });
        }
        if ((byName["Form.CheckInAt"] || [""])[0]) { said("已签到（草稿）"); }
    }

    var saved = localStorage.getItem(DRAFT);
    if (saved) {
        try { restore(JSON.parse(saved)); outbox.say("已恢复本机保存的草稿。"); } catch (e) { localStorage.removeItem(DRAFT); }
    }
    confirmation();
    form.addEventListener("input", save);
    form.addEventListener("change", save);

    function keepForLater() {
        var items = outbox.read().filter(function (it) { return it.key !== key; });
        items.push({ key: key, url: form.action || location.pathname, fields: fields(), title: document.title });
        outbox.write(items);
        outbox.say("信号中断：记录已保存在本机，恢复联网后会自动提交。");
    }

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        save();
        if (!navigator.onLine) { keepForLater(); return; }
        var url = form.action || location.pathname;
        // Photos taken offline go first; the record then cites their ids.
        var ready = photos ? photos.send(url.split("?")[0] + "?handler=Photo", fields()) : Promise.resolve(fields());
        ready.then(function (pairs) {
            var body = new URLSearchParams();
            pairs.forEach(function (pair) { body.append(pair[0], pair[1]); });
            var token = form.querySelector("input[name=__RequestVerificationToken]");
            if (token) { body.set("__RequestVerificationToken", token.value); }
            return fetch(url, {
                method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" }
            }).then(function (response) {
                if (response.status === 200) {
                    return response.json().then(function (json) {
                        if (json.ok !== true) { throw new Error("not the record page's answer"); }
                        localStorage.removeItem(DRAFT);
                        location.href = json.redirect || location.pathname;
                    }).catch(function () {
                        // The sign-in page answered (the session ended): keep the record for later, then sign in.
                        keepForLater();
                        location.href = "/login?ReturnUrl=" + encodeURIComponent(location.pathname);
                    });
                }
                // Refused: post the form the plain way, so that the page shows each message beside its field.
                rebuild(pairs);
                HTMLFormElement.prototype.submit.call(form);
            });
        }).catch(keepForLater);
    });

    // Before a plain post: the uploaded photos' ids in place of the local ones.
    function rebuild(pairs) {
        if (!list) { return; }
        list.textContent = "";
        pairs.filter(function (p) { return p[0] === "Form.PhotoIds"; }).forEach(function (p) { item("Form.PhotoIds", p[1]); });
    }
})();
