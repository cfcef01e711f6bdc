// The teacher's pages without a signal. A mountain village often has none: the week and each
// session's page are kept on the phone when they are opened online (network first, the copy only
// when the network fails), so that the visit form opens there anyway; the record then waits in the
// outbox (site.js) until the signal returns. Only the teacher's own pages and the static files are
// kept; everything else goes to the network as usual. Signing in again clears the copies.
"use strict";
var CACHE = "cd-pages-v1";
var KEPT = [/^\/my\/week/, /^\/sessions\//, /^\/css\//, /^\/js\//];

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function kept(url) {
    return url.origin === self.location.origin && KEPT.some(function (pattern) { return pattern.test(url.pathname); });
}

function offlinePage() {
    return new Response(
        "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        "<title>没有网络 · 送教上门</title><link rel=\"stylesheet\" href=\"/css/site.css\"><main id=\"main\"><h1>没有网络</h1>" +
        "<p>这个页面还没有在本机保存过。请在有信号时先打开“我的送教课表”，课表和每次课的记录页就会保存在本机。</p></main></html>",
        { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "X-Offline-Copy": "none" } });
}

self.addEventListener("fetch", function (event) {
    var request = event.request;
    var url = new URL(request.url);
    if (request.method !== "GET" || !kept(url)) { return; }
    event.respondWith(fetch(request).then(function (response) {
        // Only a page this user really got (not the sign-in page a redirect led to) is kept.
        if (response.ok && !response.redirected) {
            var copy = response.clone();
            caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
    }).catch(function () {
        // Pages ask for /js/site.js?v=…; the copy kept on the phone may be of another version of the same file.
        var file = /^\/(css|js)\//.test(url.pathname);
        return caches.open(CACHE).then(function (cache) { return cache.match(request, { ignoreVary: true, ignoreSearch: file }); }).then(function (hit) {
            if (!hit) { return request.mode === "navigate" ? offlinePage() : Response.error(); }
            var headers = new Headers(hit.headers);
            headers.set("X-Offline-Copy", "1");
            return hit.blob().then(function (body) { return new Response(body, { status: hit.status, headers: headers }); });
        });
    }));
});
