/*
 * dicom-dictgen site search. `dictgenSearch(index, query, limit)` ranks entries of the prebuilt
 * index (assets/search-index.js); the same function runs in the browser, in the tests and in the
 * bench. Results are put into the page with textContent only (no markup from the index).
 * Ranking, best first: exact tag (any notation), CID, UID or keyword; then keyword prefix; then
 * every query word starting a word of the name; then substrings. Retired entries sort after
 * current ones of the same rank; ties by family, then shorter names.
 */
(function () {
  'use strict';
  var KIND_ORDER = { t: 0, u: 1, c: 2, i: 3, m: 4, p: 5 };
  var TAG_RE = /^\(?\s*([0-9a-fA-Fx]{4})\s*[,:\s]?\s*([0-9a-fA-Fx]{4})\s*\)?$/;

  function words(s) {
    return s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  }

  /** Name with every run of other characters turned into one space, led by a space: word starts are ` w`. */
  function spaced(name) {
    return ' ' + name.toLowerCase().replace(/[^a-z0-9]+/g, ' ');
  }

  /** Title, subtitle and URL of an entry: built only for the results shown. */
  var SHOW = {
    t: function (e) { return ['(' + e[0].slice(0, 4) + ',' + e[0].slice(4) + ') ' + e[2], e[1], 'tags/' + e[0] + '/index.html']; },
    u: function (e, index) { return [e[2], e[0] + ' · ' + index.ut[e[3]], 'uids/' + e[0] + '/index.html']; },
    c: function (e) { return ['CID ' + e[0] + ' ' + e[1], e[2], 'cid/' + e[0] + '/index.html']; },
    i: function (e) { return [e[1] + ' IOD', e[0], 'iods/' + e[0] + '/index.html']; },
    m: function (e) { return e[0] === 'm' ? [e[2] + ' Module', e[1], 'modules/' + e[1] + '/index.html'] : [e[2] + ' Macro', e[1], 'macros/' + e[1] + '/index.html']; },
    p: function (e) { return [e[1], 'private creator', 'private/' + e[0] + '/index.html']; }
  };

  /** Lower-cased keys of every entry, computed once per index (a few milliseconds for the full default). */
  function prepare(index) {
    if (index._prepared) return index._prepared;
    var list = [];
    function add(kind, src, key, keyword, name, retired) {
      list.push({ kind: kind, src: src, key: key, kw: keyword.toLowerCase(), name: name.toLowerCase(), nn: spaced(name), retired: retired ? 1 : 0 });
    }
    var k;
    for (k = 0; k < index.t.length; k++) add('t', index.t[k], index.t[k][0], index.t[k][1], index.t[k][2], index.t[k][3]);
    for (k = 0; k < index.u.length; k++) add('u', index.u[k], index.u[k][0], index.u[k][1], index.u[k][2], index.u[k][4]);
    for (k = 0; k < index.c.length; k++) add('c', index.c[k], String(index.c[k][0]), index.c[k][2], index.c[k][1], index.c[k][3]);
    for (k = 0; k < index.i.length; k++) add('i', index.i[k], index.i[k][0], index.i[k][0], index.i[k][1], 0);
    for (k = 0; k < index.m.length; k++) add('m', index.m[k], index.m[k][1], index.m[k][1], index.m[k][2], 0);
    for (k = 0; k < index.p.length; k++) add('p', index.p[k], index.p[k][0], index.p[k][0], index.p[k][1], 0);
    Object.defineProperty(index, '_prepared', { value: list, enumerable: false });
    return list;
  }

  function tagMatches(masked, tag) {
    for (var i = 0; i < 8; i++) if (masked[i] !== 'x' && masked[i] !== tag[i]) return false;
    return true;
  }

  /** Rank of one entry for the query (lower is better), or -1 for no match. */
  function rank(e, q) {
    if (q.tag !== null && e.kind === 't') {
      if (e.key === q.tag) return 0;
      if (e.key.indexOf('x') >= 0 && tagMatches(e.key, q.tag)) return 1;
    }
    if (q.cid !== null && e.kind === 'c' && e.key === q.cid) return q.cidExplicit ? 0 : 2;
    if (q.uid && e.kind === 'u') {
      if (e.key === q.raw) return 0;
      if (e.key.indexOf(q.raw) === 0) return 3;
    }
    if (q.lc === '') return -1;
    if (e.kw === q.lc || (e.kind !== 't' && e.kind !== 'u' && e.name === q.lc)) return 0;
    if (e.kind === 't' && e.name === q.lc) return 0;
    if (e.kw.indexOf(q.lc) === 0) return 2;
    if (q.words.length > 0 && q.words.every(function (w) { return e.nn.indexOf(' ' + w) >= 0; })) return 3;
    if (e.kw.indexOf(q.compact) >= 0 && q.compact.length > 2) return 4;
    if (e.name.indexOf(q.lc) >= 0) return 5;
    return -1;
  }

  function parseQuery(raw) {
    var s = raw.trim();
    var q = { raw: s, lc: s.toLowerCase(), compact: s.toLowerCase().replace(/[^a-z0-9]+/g, ''), words: words(s), tag: null, cid: null, cidExplicit: false, uid: /^[0-9]+(\.[0-9]+)+\.?$/.test(s) };
    if (q.uid) q.raw = s.replace(/\.$/, '');
    var t = TAG_RE.exec(s);
    if (t && /[0-9a-fA-F]/.test(t[1] + t[2])) q.tag = (t[1] + t[2]).toUpperCase().replace(/X/g, 'x');
    var c = /^cid\s*#?\s*(\d+)$/i.exec(s);
    if (c) {
      q.cid = String(Number(c[1]));
      q.cidExplicit = true;
    } else if (/^\d{1,5}$/.test(s)) {
      q.cid = String(Number(s));
    }
    return q;
  }

  function search(index, raw, limit) {
    var list = prepare(index);
    var q = parseQuery(String(raw));
    if (q.raw === '') return [];
    var hits = [];
    for (var i = 0; i < list.length; i++) {
      var r = rank(list[i], q);
      if (r >= 0) hits.push({ r: r + list[i].retired * 0.5, e: list[i] });
    }
    hits.sort(function (x, y) {
      return x.r - y.r || KIND_ORDER[x.e.kind] - KIND_ORDER[y.e.kind] || x.e.name.length - y.e.name.length || (x.e.key < y.e.key ? -1 : x.e.key > y.e.key ? 1 : 0);
    });
    return hits.slice(0, limit || 20).map(function (h) {
      var show = SHOW[h.e.kind](h.e.src, index);
      return { kind: h.e.kind, key: h.e.key, title: show[0], sub: show[1], url: show[2], retired: h.e.retired === 1 };
    });
  }

  var root = typeof globalThis !== 'undefined' ? globalThis : this;
  root.dictgenSearch = search;
  if (typeof document === 'undefined') return;

  var KIND_NAMES = { t: 'Attribute', u: 'UID', c: 'Context group', i: 'IOD', m: 'Module', p: 'Private' };

  function init() {
    var input = document.getElementById('q');
    var list = document.getElementById('results');
    var status = document.getElementById('search-status');
    if (!input || !list) return;
    var base = document.body.getAttribute('data-root') || '';
    var active = -1;
    var results = [];
    var waiting = [];

    function load(cb) {
      if (root.DICTGEN_INDEX) return cb();
      waiting.push(cb);
      if (waiting.length > 1) return;
      var s = document.createElement('script');
      s.src = base + 'assets/search-index.js';
      s.onload = function () {
        prepare(root.DICTGEN_INDEX);
        var w = waiting;
        waiting = [];
        w.forEach(function (f) { f(); });
      };
      s.onerror = function () {
        if (status) status.textContent = 'The search index could not be loaded.';
      };
      document.head.appendChild(s);
    }

    function setActive(i) {
      var items = list.children;
      for (var k = 0; k < items.length; k++) items[k].setAttribute('aria-selected', k === i ? 'true' : 'false');
      active = i;
      if (i >= 0 && items[i]) {
        input.setAttribute('aria-activedescendant', items[i].id);
        items[i].scrollIntoView({ block: 'nearest' });
      } else input.removeAttribute('aria-activedescendant');
    }

    function show() {
      results = search(root.DICTGEN_INDEX, input.value, 20);
      list.textContent = '';
      results.forEach(function (r, i) {
        var li = document.createElement('li');
        li.id = 'result-' + i;
        li.setAttribute('role', 'option');
        var link = document.createElement('a');
        link.href = base + r.url;
        link.tabIndex = -1;
        var title = document.createElement('span');
        title.className = 'r-title';
        title.textContent = r.title;
        var sub = document.createElement('span');
        sub.className = 'r-sub';
        sub.textContent = KIND_NAMES[r.kind] + (r.sub ? ' · ' + r.sub : '') + (r.retired ? ' · retired' : '');
        link.appendChild(title);
        link.appendChild(sub);
        li.appendChild(link);
        list.appendChild(li);
      });
      var open = results.length > 0;
      list.hidden = !open;
      input.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (status) status.textContent = input.value.trim() === '' ? '' : results.length + (results.length === 1 ? ' result' : ' results');
      setActive(open ? 0 : -1);
    }

    input.addEventListener('focus', function () { load(function () {}); });
    input.addEventListener('input', function () { load(show); });
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'ArrowDown' && results.length) {
        setActive((active + 1) % results.length);
        ev.preventDefault();
      } else if (ev.key === 'ArrowUp' && results.length) {
        setActive((active - 1 + results.length) % results.length);
        ev.preventDefault();
      } else if (ev.key === 'Enter' && results.length) {
        window.location.href = base + results[Math.max(active, 0)].url;
        ev.preventDefault();
      } else if (ev.key === 'Escape') {
        list.hidden = true;
        input.setAttribute('aria-expanded', 'false');
      }
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
