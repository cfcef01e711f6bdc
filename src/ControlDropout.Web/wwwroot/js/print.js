// A "打印" link opens the browser's print dialog; the print stylesheet (site.css @media print) does the rest.
(function () {
  'use strict';
  document.querySelectorAll('[data-print]').forEach(function (link) {
    link.addEventListener('click', function (e) { e.preventDefault(); window.print(); });
  });
}());
