// The plan editor: the meeting link field is for remote and mixed plans only; hide it while 送教上门 is chosen.
(function () {
  'use strict';
  var mode = document.getElementById('Mode');
  var fields = document.querySelectorAll('[data-remote-only]');
  if (!mode || fields.length === 0) { return; }
  function show() {
    var remote = mode.value !== 'Home';
    fields.forEach(function (f) {
      var input = f.querySelector('input');
      // Keep a typed link visible (and its message) even for a home plan, so nothing is lost unseen.
      f.hidden = !remote && !(input && input.value);
    });
  }
  mode.addEventListener('change', show);
  show();
}());
