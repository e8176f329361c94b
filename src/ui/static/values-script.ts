/**
 * The values viewer's part of the UI script: fold toggles on keys with children, the key search
 * (`ingress.tls`), and unfolding whatever hides the key a `#values-…` link points at.
 * Appended to script.ts's file; it writes text with textContent only.
 */
export const valuesScript = String.raw`(function () {
  'use strict';
  var code = document.getElementById('values-yaml');
  if (!code) return;
  var lines = Array.prototype.slice.call(code.querySelectorAll('.line'));

  function refresh() {
    lines.forEach(function (line) { line.hidden = false; });
    lines.forEach(function (line, i) {
      var toggle = line.querySelector('button.fold');
      if (!toggle || toggle.getAttribute('aria-expanded') === 'true') return;
      var count = Number(line.getAttribute('data-fold'));
      for (var k = i + 1; k <= i + count && k < lines.length; k++) lines[k].hidden = true;
    });
  }

  lines.forEach(function (line) {
    if (!line.hasAttribute('data-fold')) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'fold';
    button.setAttribute('aria-expanded', 'true');
    button.setAttribute('aria-label', 'Fold ' + (line.getAttribute('data-path') || 'this key'));
    button.addEventListener('click', function () {
      button.setAttribute('aria-expanded', button.getAttribute('aria-expanded') === 'true' ? 'false' : 'true');
      refresh();
    });
    line.insertBefore(button, line.firstChild);
  });

  function reveal(target) {
    var index = lines.indexOf(target);
    lines.forEach(function (line, i) {
      var count = Number(line.getAttribute('data-fold') || 0);
      var toggle = line.querySelector('button.fold');
      if (toggle && i < index && index <= i + count) toggle.setAttribute('aria-expanded', 'true');
    });
    refresh();
    lines.forEach(function (line) { line.classList.remove('found'); });
    target.classList.add('found');
    target.scrollIntoView({ block: 'center' });
  }

  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id.indexOf('values-') === 0 ? document.getElementById(id) : null;
    if (target && lines.indexOf(target) >= 0) reveal(target);
  }
  window.addEventListener('hashchange', fromHash);
  fromHash();

  var form = document.querySelector('form[data-values-search]');
  if (!form) return;
  form.hidden = false;
  var input = document.getElementById('values-key');
  var status = document.getElementById('values-key-status');
  var list = document.getElementById('values-keys');
  var paths = lines.filter(function (l) { return l.hasAttribute('data-path'); });
  paths.forEach(function (line) {
    var option = document.createElement('option');
    option.value = line.getAttribute('data-path');
    list.appendChild(option);
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var wanted = input.value.trim().replace(/^\.+/, '');
    if (!wanted) return;
    var match = paths.filter(function (l) { return l.getAttribute('data-path') === wanted; })[0] ||
      paths.filter(function (l) { var p = l.getAttribute('data-path'); return p.slice(-wanted.length - 1) === '.' + wanted; })[0] ||
      paths.filter(function (l) { return l.getAttribute('data-path').indexOf(wanted) >= 0; })[0];
    if (!match) { status.textContent = 'No key ' + wanted; return; }
    status.textContent = 'Line ' + (lines.indexOf(match) + 1) + ': ' + match.getAttribute('data-path');
    history.replaceState(null, '', '#' + match.id);
    reveal(match);
  });
})();
`;
