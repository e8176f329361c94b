import { valuesScript } from './values-script.js';

/**
 * The UI's one script, served from /ui/static/ under a content hash. Pages work without it; it
 * adds copy buttons, the letter for a broken icon, search as you type over /api/search, and the
 * values viewer's folding and key search (values-script.ts).
 * It writes text with textContent only, never markup.
 */
export const script =
  String.raw`(function () {
  'use strict';
  var body = document.body;
  var uiBase = body.getAttribute('data-ui') || '/ui';
  var searchApi = body.getAttribute('data-search-api');

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.className = 'visually-hidden';
      body.appendChild(area);
      area.select();
      var ok = document.execCommand('copy');
      area.remove();
      if (ok) resolve(); else reject(new Error('copy failed'));
    });
  }

  function flash(button, label) {
    var original = button.getAttribute('data-label') || button.textContent;
    button.setAttribute('data-label', original);
    button.textContent = label;
    setTimeout(function () { button.textContent = original; }, 1500);
  }

  document.querySelectorAll('button[data-copy], button[data-copy-from]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var from = button.getAttribute('data-copy-from');
      var source = from ? document.getElementById(from) : null;
      var text = source ? source.textContent : button.getAttribute('data-copy');
      copyText(text || '').then(function () { flash(button, 'Copied'); }, function () { flash(button, 'Copy failed'); });
    });
  });

  // a broken chart icon becomes the letter placeholder the page shows for charts without one
  function letterFor(img) {
    var letter = document.createElement('span');
    letter.className = 'icon placeholder';
    letter.setAttribute('aria-hidden', 'true');
    letter.textContent = img.getAttribute('data-letter') || '';
    img.replaceWith(letter);
  }
  function watchIcon(img) {
    if (img.complete && img.naturalWidth === 0 && img.getAttribute('src')) letterFor(img);
    else img.addEventListener('error', function () { letterFor(img); });
  }
  document.querySelectorAll('img.icon[data-letter]').forEach(watchIcon);

  var form = document.querySelector('form[data-search]');
  if (!form || !searchApi) return;
  var results = document.getElementById('results');
  var count = document.getElementById('result-count');
  var pager = document.getElementById('pager');
  var timer = 0;
  var controller = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function chartHref(hit) {
    return uiBase + '/charts/' + (hit.repository ? hit.repository + '/' : '') + encodeURIComponent(hit.name);
  }

  function card(hit) {
    var item = el('li', 'card');
    var icon = hit.icon && /^(https:\/\/|data:image\/)/i.test(hit.icon);
    if (icon) {
      var img = el('img', 'icon');
      img.alt = '';
      img.width = 48;
      img.height = 48;
      img.loading = 'lazy';
      img.src = hit.icon;
      img.setAttribute('data-letter', hit.name.charAt(0));
      item.appendChild(img);
      watchIcon(img);
    } else {
      var letter = el('span', 'icon placeholder', hit.name.charAt(0));
      letter.setAttribute('aria-hidden', 'true');
      item.appendChild(letter);
    }
    var main = el('div', 'card-body');
    var title = el('h2');
    var link = el('a', '', hit.name);
    link.href = chartHref(hit);
    title.appendChild(link);
    if (hit.type === 'library') title.appendChild(el('span', 'badge library', 'Library'));
    if (hit.deprecated) title.appendChild(el('span', 'badge deprecated', 'Deprecated'));
    main.appendChild(title);
    var meta = el('p', 'meta');
    meta.appendChild(el('span', '', hit.repository || '(root)'));
    meta.appendChild(el('span', '', 'Version ' + hit.version));
    if (hit.appVersion) meta.appendChild(el('span', '', 'App ' + hit.appVersion));
    meta.appendChild(el('span', '', 'Updated ' + hit.updated.slice(0, 10)));
    main.appendChild(meta);
    if (hit.description) main.appendChild(el('p', 'desc', hit.description));
    item.appendChild(main);
    return item;
  }

  function pageLink(params, offset, label, rel) {
    var next = new URLSearchParams(params);
    if (offset > 0) next.set('offset', String(offset)); else next.delete('offset');
    var link = el('a', '', label);
    link.rel = rel;
    link.href = form.getAttribute('action') + '?' + next.toString();
    return link;
  }

  function searchLink(params, changes, label) {
    var next = new URLSearchParams(params);
    next.delete('offset');
    Object.keys(changes).forEach(function (key) {
      if (changes[key] === '') next.delete(key); else next.set(key, changes[key]);
    });
    var link = el('a', '', label);
    link.href = form.getAttribute('action') + '?' + next.toString();
    return link;
  }

  function plural(n, one) { return n + ' ' + one + (n === 1 ? '' : 's'); }

  // the same markup as src/ui/pages/search-hints.ts builds on the server
  function renderHints(data, params) {
    var hints = document.getElementById('search-hints');
    if (!hints) return;
    hints.replaceChildren();
    var suggestions = data.suggestions || [];
    if (suggestions.length > 0) {
      var mean = el('p', 'did-you-mean', 'Did you mean ');
      suggestions.forEach(function (s, i) {
        if (i > 0) mean.appendChild(document.createTextNode(' or '));
        mean.appendChild(searchLink(params, { q: s.text }, s.text));
        mean.appendChild(document.createTextNode(' (' + plural(s.total, 'chart') + ')'));
      });
      mean.appendChild(document.createTextNode('?'));
      hints.appendChild(mean);
    }
    var hidden = data.hidden || {};
    if (hidden.deprecated > 0) {
      var d = el('p', 'hint-hidden', plural(hidden.deprecated, 'deprecated chart') + ' also ' + (hidden.deprecated === 1 ? 'matches' : 'match') + '. ');
      d.appendChild(searchLink(params, { deprecated: 'true' }, 'Show deprecated charts'));
      hints.appendChild(d);
    }
    if (hidden.prerelease > 0) {
      var p = el('p', 'hint-hidden', plural(hidden.prerelease, 'chart') + ' with prereleases only also ' + (hidden.prerelease === 1 ? 'matches' : 'match') + '. ');
      p.appendChild(searchLink(params, { prerelease: 'true' }, 'Include prereleases'));
      hints.appendChild(p);
    }
  }

  function renderFacets(data, params) {
    var facets = document.getElementById('facets');
    if (!facets || !data.facets) return;
    facets.replaceChildren();
    function group(title, entries, key, valueOf, labelOf) {
      if (entries.length === 0) return;
      var box = el('div');
      box.appendChild(el('h2', '', title));
      var list = el('ul');
      entries.forEach(function (f) {
        var value = valueOf(f);
        var current = params.get(key) === value;
        var item = el('li');
        var changes = {};
        changes[key] = current && key === 'keyword' ? '' : value;
        var link = searchLink(params, changes, labelOf(f));
        if (current) link.setAttribute('aria-current', 'true');
        item.appendChild(link);
        item.appendChild(document.createTextNode(' '));
        item.appendChild(el('span', 'muted', String(f.count)));
        list.appendChild(item);
      });
      box.appendChild(list);
      facets.appendChild(box);
    }
    group('Repositories', data.facets.repositories, 'repo', function (f) { return f.repository || '/'; }, function (f) { return f.repository || '(root)'; });
    group('Keywords', data.facets.keywords, 'keyword', function (f) { return f.keyword; }, function (f) { return f.keyword; });
  }

  function render(data, params) {
    results.replaceChildren.apply(results, data.results.map(card));
    renderHints(data, params);
    renderFacets(data, params);
    count.textContent = data.total === 1 ? '1 chart' : data.total + ' charts';
    if (!pager) return;
    pager.replaceChildren();
    if (data.offset > 0) pager.appendChild(pageLink(params, Math.max(0, data.offset - data.limit), 'Previous', 'prev'));
    if (data.total > 0) {
      var last = Math.min(data.total, data.offset + data.results.length);
      pager.appendChild(el('span', 'muted', (data.offset + 1) + '–' + last + ' of ' + data.total));
    }
    if (data.offset + data.limit < data.total) pager.appendChild(pageLink(params, data.offset + data.limit, 'Next', 'next'));
  }

  function run() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === 'string' && value !== '') params.append(key, value);
    });
    history.replaceState(null, '', form.getAttribute('action') + (params.toString() ? '?' + params.toString() : ''));
    if (controller) controller.abort();
    controller = new AbortController();
    body.setAttribute('aria-busy', 'true');
    fetch(searchApi + '?' + params.toString(), { headers: { accept: 'application/json' }, signal: controller.signal })
      .then(function (response) {
        if (!response.ok) throw new Error('search answered ' + response.status);
        return response.json();
      })
      .then(function (data) { render(data, params); body.removeAttribute('aria-busy'); })
      .catch(function (err) {
        if (err.name !== 'AbortError') { count.textContent = 'Search failed'; body.removeAttribute('aria-busy'); }
      });
  }

  form.addEventListener('input', function (event) {
    if (event.target.type !== 'search') return;
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  form.addEventListener('change', function (event) {
    if (event.target.type === 'search') return;
    clearTimeout(timer);
    run();
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
})();
` + valuesScript;
