/* Light and dark themes: the reader's choice (stored) wins over the system preference. */
(function () {
  'use strict';
  var KEY = 'dictgen-theme';
  var stored = null;
  try { stored = window.localStorage.getItem(KEY); } catch (e) { stored = null; }
  var dark = stored ? stored === 'dark' : window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.setAttribute('data-theme', dark ? 'dark' : 'light');
  function bind() {
    var b = document.getElementById('theme');
    if (!b) return;
    var sync = function () {
      var isDark = document.documentElement.getAttribute('data-theme') === 'dark';
      b.setAttribute('aria-pressed', isDark ? 'true' : 'false');
      b.textContent = isDark ? 'Light theme' : 'Dark theme';
    };
    sync();
    b.addEventListener('click', function () {
      var next = document.documentElement.getAttribute('data-theme') === 'dark' ? 'light' : 'dark';
      document.documentElement.setAttribute('data-theme', next);
      try { window.localStorage.setItem(KEY, next); } catch (e) { /* file:// without storage */ }
      sync();
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', bind);
  else bind();
})();
