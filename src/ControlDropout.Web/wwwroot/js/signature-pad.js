// 手写签名: the guardian signs with a finger on the teacher's phone. The strokes (each "x,y x,y …" in a
// 600 × 240 box, whatever the canvas's size on screen) go into hidden Form.SignatureStrokes inputs, so
// that they are kept in the draft and sent with the record; the server draws the SVG from the numbers.
(function () {
    "use strict";
    var canvas = document.getElementById("signature-canvas");
    var holder = document.getElementById("signature-strokes");
    if (!canvas || !holder || !canvas.getContext) { return; }
    var WIDTH = 600, HEIGHT = 240, MAX_STROKES = 20, MAX_POINTS = 500, MAX_TOTAL = 4000;
    var context = canvas.getContext("2d");
    var strokes = [];
    var current = null;

    function round(n) { return Math.round(n * 10) / 10; }
    function clamp(n, max) { return Math.min(max, Math.max(0, n)); }

    function at(event) {
        var box = canvas.getBoundingClientRect();
        return [round(clamp((event.clientX - box.left) * WIDTH / box.width, WIDTH)), round(clamp((event.clientY - box.top) * HEIGHT / box.height, HEIGHT))];
    }

    function total() { return strokes.reduce(function (sum, s) { return sum + s.length; }, 0); }

    function draw() {
        context.clearRect(0, 0, WIDTH, HEIGHT);
        context.lineWidth = 3;
        context.lineCap = "round";
        context.lineJoin = "round";
        context.strokeStyle = "#000";
        strokes.forEach(function (stroke) {
            context.beginPath();
            context.moveTo(stroke[0][0], stroke[0][1]);
            stroke.forEach(function (p) { context.lineTo(p[0], p[1]); });
            if (stroke.length === 1) { context.lineTo(stroke[0][0] + 0.5, stroke[0][1] + 0.5); }
            context.stroke();
        });
    }

    function text(stroke) { return stroke.map(function (p) { return p[0] + "," + p[1]; }).join(" "); }

    function inputs() {
        holder.textContent = "";
        strokes.forEach(function (stroke) {
            var input = document.createElement("input");
            input.type = "hidden";
            input.name = "Form.SignatureStrokes";
            input.value = text(stroke);
            holder.appendChild(input);
        });
    }

    // After each stroke: the inputs, the time of the confirmation (the phone's), and a change for the draft.
    function signed() {
        inputs();
        var when = document.getElementById("confirmed-at");
        if (when) { when.value = strokes.length > 0 ? new Date().toISOString() : ""; }
        var signature = document.getElementById("confirm-signature");
        if (signature && strokes.length > 0) { signature.checked = true; }
        canvas.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function parse(value) {
        return String(value).split(" ").filter(Boolean).map(function (pair) {
            var xy = pair.split(",");
            return [clamp(Number(xy[0]) || 0, WIDTH), clamp(Number(xy[1]) || 0, HEIGHT)];
        }).slice(0, MAX_POINTS);
    }

    canvas.addEventListener("pointerdown", function (event) {
        if (strokes.length >= MAX_STROKES || total() >= MAX_TOTAL) { return; }
        event.preventDefault();
        if (canvas.setPointerCapture) { try { canvas.setPointerCapture(event.pointerId); } catch (e) { } }
        current = [at(event)];
        strokes.push(current);
        draw();
    });
    canvas.addEventListener("pointermove", function (event) {
        if (!current || current.length >= MAX_POINTS || total() >= MAX_TOTAL) { return; }
        event.preventDefault();
        var p = at(event);
        var last = current[current.length - 1];
        if (p[0] !== last[0] || p[1] !== last[1]) { current.push(p); draw(); }
    });
    function end() { if (current) { current = null; signed(); } }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("pointerleave", end);

    var clear = document.getElementById("signature-clear");
    if (clear) { clear.addEventListener("click", function () { strokes = []; draw(); signed(); }); }

    // A draft restored from the phone, or the strokes a refused post sent back.
    function load(values) {
        strokes = (values || []).map(parse).filter(function (s) { return s.length > 0; }).slice(0, MAX_STROKES);
        inputs();
        draw();
    }
    load(Array.prototype.map.call(holder.querySelectorAll("input"), function (input) { return input.value; }));

    window.controlDropout = window.controlDropout || {};
    window.controlDropout.signature = { load: load, count: function () { return strokes.length; } };
})();
