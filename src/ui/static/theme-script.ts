/**
 * The dark-mode toggle (appended to script.ts): flips `data-theme` on <html> and remembers the
 * choice in a cookie the server reads, so the next page arrives already in that theme (no flash,
 * no inline script). Without the script the button stays hidden and the system's theme applies.
 */
export const themeScript = `(function () {
  'use strict';
  var button = document.querySelector('[data-theme-toggle]');
  if (!button) return;
  var root = document.documentElement;
  var path = document.body.getAttribute('data-ui') || '/ui';
  var systemDark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)');
  function isDark() {
    var chosen = root.getAttribute('data-theme');
    return chosen ? chosen === 'dark' : !!(systemDark && systemDark.matches);
  }
  function show() { button.setAttribute('aria-pressed', isDark() ? 'true' : 'false'); }
  button.addEventListener('click', function () {
    var theme = isDark() ? 'light' : 'dark';
    root.setAttribute('data-theme', theme);
    document.cookie = 'charthouse_theme=' + theme + '; Path=' + path + '; Max-Age=31536000; SameSite=Lax';
    show();
  });
  show();
  button.hidden = false;
})();
`;
