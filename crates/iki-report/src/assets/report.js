/* iki report: the document list (filtered, sorted, paginated) and the document view.
 *
 * The list reads only the small index block. A document's data block (its JSON and source
 * text) is parsed when the document is opened, and its view is built then. Document text only
 * ever enters the page as textContent; links are built from numbers only.
 *
 * Addresses: #page=N (list page), #doc=N (document N, in file-name order), #doc=N&l=A-B (and
 * its lines A..B highlighted).
 */
(function () {
  'use strict';

  var INDEX = JSON.parse(document.getElementById('iki-index').textContent);
  var CFG = INDEX.config;
  var DOCS = INDEX.docs;
  var ORDER = INDEX.order;
  var LOW = CFG.low;
  var PAGE_SIZE = Math.max(1, CFG.page_size);
  /* Longest run of lines one value may mark (a hostile span must not loop forever). */
  var MAX_MARK_LINES = 5000;

  var filters = { q: '', status: '', kind: '', review: false, sort: 'conf' };
  var view = null;
  var listPage = 1;
  var cur = null;

  function byId(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) { continue; }
      parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return parent;
  }

  function link(hash, text, cls) {
    var a = el('a', cls, text);
    a.href = hash;
    return a;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function fmt(x) { return typeof x === 'number' && isFinite(x) ? x.toFixed(3) : '–'; }

  function isLow(conf) { return typeof conf === 'number' && conf < LOW; }

  function safeClass(text) { return String(text).replace(/[^a-z0-9_-]/gi, ''); }

  function toInt(text) {
    var n = parseInt(text, 10);
    return isFinite(n) ? n : null;
  }

  /* ---- addresses ---------------------------------------------------------------------- */

  function parseHash() {
    var out = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (part) {
      var eq = part.indexOf('=');
      if (eq > 0) { out[part.slice(0, eq)] = part.slice(eq + 1); }
    });
    return out;
  }

  function parseLines(text) {
    if (!text) { return null; }
    var parts = String(text).split('-');
    var a = toInt(parts[0]);
    var b = parts.length > 1 ? toInt(parts[1]) : a;
    return a === null || a < 1 ? null : [a, b === null || b < a ? a : b];
  }

  function go(hash) {
    if (location.hash === hash) { route(); } else { location.hash = hash; }
  }

  function route() {
    var h = parseHash();
    var id = toInt(h.doc);
    if (id !== null && id >= 0 && id < DOCS.length) {
      showDoc(id, parseLines(h.l));
    } else {
      showList(toInt(h.page) || listPage);
    }
  }

  /* ---- the list ----------------------------------------------------------------------- */

  function needsReview(d) { return d.status === 'failed' || isLow(d.confidence) || d.low > 0; }

  function matches(d) {
    if (filters.status && d.status !== filters.status) { return false; }
    if (filters.kind && d.kind !== filters.kind) { return false; }
    if (filters.review && !needsReview(d)) { return false; }
    if (!filters.q) { return true; }
    var hay = [d.name, d.path, d.codes.join(' '), d.error || ''].join('\n').toLowerCase();
    return hay.indexOf(filters.q) >= 0;
  }

  var SORTS = {
    'conf': null,
    'conf-desc': function (a, b) { return DOCS[b].confidence - DOCS[a].confidence; },
    'warnings': function (a, b) { return DOCS[b].warnings - DOCS[a].warnings; },
    'name': function (a, b) { return DOCS[a].name < DOCS[b].name ? -1 : DOCS[a].name > DOCS[b].name ? 1 : 0; }
  };

  /* Ids of the documents the filters let through, in the chosen order (stable sorts over the
   * review order, so ties stay lowest confidence first). */
  function currentView() {
    if (view) { return view; }
    var ids = ORDER.filter(function (id) { return matches(DOCS[id]); });
    var cmp = SORTS[filters.sort];
    view = cmp ? ids.sort(cmp) : ids;
    return view;
  }

  function pageCount(n) { return Math.max(1, Math.ceil(n / PAGE_SIZE)); }

  function showList(page) {
    cur = null;
    byId('detail').hidden = true;
    clear(byId('detail'));
    byId('overview').hidden = false;
    byId('list').hidden = false;
    document.title = BASE_TITLE;
    var ids = currentView();
    var pages = pageCount(ids.length);
    page = Math.min(Math.max(1, page), pages);
    listPage = page;
    renderRows(ids, page);
    byId('count').textContent = ids.length + ' of ' + DOCS.length + ' documents';
    renderPager(byId('pager'), page, pages);
  }

  function renderRows(ids, page) {
    var rows = byId('rows');
    clear(rows);
    var start = (page - 1) * PAGE_SIZE;
    var end = Math.min(ids.length, start + PAGE_SIZE);
    var frag = document.createDocumentFragment();
    for (var i = start; i < end; i++) { frag.appendChild(row(DOCS[ids[i]], i + 1)); }
    if (!ids.length) {
      var td = el('td', 'muted', 'No document matches the filters.');
      td.colSpan = 10;
      frag.appendChild(add(el('tr'), td));
    }
    rows.appendChild(frag);
  }

  function headRow() {
    var names = ['#', 'Document', 'Status', 'Kind', 'Confidence'];
    if (CFG.has_eval) { names.push('Accuracy'); }
    names.push('Forms', 'Indicators', 'Warnings', 'Source');
    var tr = el('tr');
    names.forEach(function (name) { tr.appendChild(el('th', null, name)); });
    return tr;
  }

  function row(d, rank) {
    var tr = el('tr', 'row-' + safeClass(d.status));
    tr.dataset.id = d.id;
    var name = add(el('td'), link('#doc=' + d.id, d.name, 'doc-link'), el('div', 'path', d.path));
    var status = add(el('td'), statusBadge(d.status), d.error ? el('div', 'codes', d.error) : null);
    add(tr, el('td', 'num muted', rank), name, status, el('td', null, d.kind), add(el('td'), meter(d.confidence)));
    if (CFG.has_eval) { tr.appendChild(el('td', 'num', d.accuracy === null ? '–' : fmt(d.accuracy))); }
    add(tr, el('td', 'num', d.records), el('td', 'num', d.indicators), warningCell(d),
      el('td', d.source === 'shown' ? 'muted' : 'src-' + safeClass(d.source), d.source));
    return tr;
  }

  function statusBadge(status) { return el('span', 'badge st-' + safeClass(status), status); }

  function meter(conf) {
    var bar = el('span', isLow(conf) ? 'meter low' : 'meter');
    var fill = el('i');
    fill.style.width = Math.round(Math.max(0, Math.min(1, conf || 0)) * 100) + '%';
    bar.appendChild(fill);
    return add(el('span', 'conf'), bar, fmt(conf));
  }

  function warningCell(d) {
    var td = el('td', null, String(d.warnings));
    if (d.low > 0) { td.appendChild(el('span', 'cb low', d.low + ' low')); }
    if (d.codes.length) {
      var shown = d.codes.slice(0, 3).join(', ') + (d.codes.length > 3 ? ' +' + (d.codes.length - 3) : '');
      td.appendChild(el('div', 'codes', shown));
    }
    return td;
  }

  function renderPager(nav, page, pages) {
    clear(nav);
    function item(p, text) {
      if (p === page) { return el('span', 'cur', text); }
      return link('#page=' + p, text);
    }
    if (page > 1) { add(nav, item(1, '«'), item(page - 1, '‹ prev')); }
    var last = 0;
    for (var p = 1; p <= pages; p++) {
      if (p === 1 || p === pages || Math.abs(p - page) <= 2) {
        if (last && p > last + 1) { nav.appendChild(el('span', 'gap', '…')); }
        nav.appendChild(item(p, String(p)));
        last = p;
      }
    }
    if (page < pages) { add(nav, item(page + 1, 'next ›'), item(pages, '»')); }
    nav.appendChild(el('span', 'gap muted', 'page ' + page + ' of ' + pages));
  }

  function setFilter(key, value) {
    filters[key] = value;
    view = null;
    listPage = 1;
    go('#page=1');
  }

  function setupControls() {
    byId('docs-head').appendChild(headRow());
    var kinds = {};
    DOCS.forEach(function (d) { kinds[d.kind] = true; });
    Object.keys(kinds).sort().forEach(function (kind) {
      var option = el('option', null, kind);
      option.value = kind;
      byId('f-kind').appendChild(option);
    });
    var timer = null;
    byId('q').addEventListener('input', function (e) {
      clearTimeout(timer);
      var value = e.target.value.trim().toLowerCase();
      timer = setTimeout(function () { setFilter('q', value); }, 150);
    });
    byId('f-status').addEventListener('change', function (e) { setFilter('status', e.target.value); });
    byId('f-kind').addEventListener('change', function (e) { setFilter('kind', e.target.value); });
    byId('f-low').addEventListener('change', function (e) { setFilter('review', e.target.checked); });
    byId('sort').addEventListener('change', function (e) { setFilter('sort', e.target.value); });
    byId('f-low').parentNode.title = 'failed, below ' + LOW + ', or with a value below ' + LOW;
  }

  /* ---- the document view -------------------------------------------------------------- */

  function loadData(id) {
    var block = byId('d' + id);
    if (!block) { return null; }
    try { return JSON.parse(block.textContent); } catch (e) { return null; }
  }

  function showDoc(id, lines) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', route, { once: true });
      return;
    }
    if (!cur || cur.id !== id) { build(id); }
    if (lines) { selectLines(lines[0], lines[1], null, true); }
  }

  function build(id) {
    var d = DOCS[id];
    var detail = byId('detail');
    clear(detail);
    byId('overview').hidden = true;
    byId('list').hidden = true;
    detail.hidden = false;
    document.title = d.name + ' · ' + BASE_TITLE;
    var data = loadData(id);
    var text = data && data.source && typeof data.source.text === 'string' ? data.source.text : null;
    cur = { id: id, lines: text === null ? [] : text.split('\n'), lineEls: [], values: [], hl: [], sel: [] };
    add(detail, header(d, data));
    if (!data) {
      detail.appendChild(el('p', 'note bad', 'The data of this document is missing from the report.'));
      return;
    }
    var marks = { ref: {}, low: {}, warn: {} };
    var extracted = el('div', 'pane extracted');
    extracted.appendChild(el('h3', null, 'Extracted'));
    renderDocument(extracted, data.doc, marks);
    var source = sourcePane(data.source, marks);
    add(detail, legend(), add(el('div', 'split'), extracted, source));
    cur.extracted = extracted;
    cur.source = source;
    window.scrollTo(0, 0);
  }

  function header(d, data) {
    var ids = currentView();
    var pos = ids.indexOf(d.id);
    var nav = el('div', 'dnav');
    var backPage = pos >= 0 ? Math.floor(pos / PAGE_SIZE) + 1 : listPage;
    nav.appendChild(link('#page=' + backPage, '← all documents', 'back'));
    if (pos > 0) { nav.appendChild(link('#doc=' + ids[pos - 1], '‹ previous', 'prev')); }
    if (pos >= 0 && pos + 1 < ids.length) { nav.appendChild(link('#doc=' + ids[pos + 1], 'next ›', 'next')); }
    if (pos >= 0) { nav.appendChild(el('span', 'muted', (pos + 1) + ' of ' + ids.length)); }
    var head = add(el('div', 'dhead'), nav);
    head.appendChild(el('h2', null, d.name));
    add(head, statusBadge(d.status), el('span', 'badge', d.kind),
      el('span', isLow(d.confidence) ? 'cb low' : 'cb', 'confidence ' + fmt(d.confidence)));
    if (CFG.has_eval && d.accuracy !== null) { head.appendChild(el('span', 'cb', 'measured accuracy ' + fmt(d.accuracy))); }
    var wrap = add(el('div', 'doc-head'), head, el('div', 'path', d.path));
    if (data && data.doc && data.doc.error) {
      wrap.appendChild(el('p', 'note bad', data.doc.error.code + ': ' + data.doc.error.message));
    }
    return wrap;
  }

  function legend() {
    var box = el('div', 'legend');
    [['l-hl', 'selected value and its lines'], ['l-ref', 'line an extracted value comes from'],
      ['l-low', 'confidence below ' + LOW], ['l-warn', 'warning']].forEach(function (item) {
      add(box, add(el('span'), el('i', item[0]), item[1]));
    });
    box.appendChild(el('span', null, 'Click a value to see its lines, a line to see its values.'));
    return box;
  }

  /* A value linked to source lines a..b: clickable, marked on those lines. */
  function linked(node, a, b, marks, conf) {
    if (typeof a !== 'number' || a < 1) { return node; }
    b = typeof b === 'number' && b >= a ? b : a;
    node.classList.add('v');
    node.dataset.a = a;
    node.dataset.b = b;
    node.title = a === b ? 'line ' + a : 'lines ' + a + '–' + b;
    cur.values.push({ a: a, b: b, node: node });
    if (marks) { markRange(marks.ref, a, b); }
    if (isLow(conf)) {
      node.classList.add('lowc');
      if (marks) { marks.low[a] = true; }
    }
    return node;
  }

  function markRange(set, a, b) {
    var end = Math.min(b, a + MAX_MARK_LINES, cur.lines.length);
    for (var n = a; n <= end; n++) { set[n] = true; }
  }

  function lineChip(a, b) {
    if (typeof a !== 'number' || a < 1) { return null; }
    return el('span', 'lc', b && b !== a ? 'L' + a + '–' + b : 'L' + a);
  }

  function confBadge(conf) {
    return el('span', isLow(conf) ? 'cb low' : 'cb', fmt(conf));
  }

  /* The line of a header value inside its form's span: the first line holding the text, or
   * the whole span when none does. */
  function locate(text, span) {
    var needle = String(text).toLowerCase().replace(/\s+/g, ' ').trim();
    var start = span.start_line;
    var end = Math.min(span.end_line, start + MAX_MARK_LINES, cur.lines.length);
    if (needle) {
      for (var n = start; n <= end; n++) {
        var line = (cur.lines[n - 1] || '').toLowerCase().replace(/\s+/g, ' ');
        if (line.indexOf(needle) >= 0) { return [n, n]; }
      }
    }
    return [start, span.end_line];
  }

  function renderDocument(pane, doc, marks) {
    warningList(pane, doc.warnings, 'Document warnings', marks);
    var attached = {};
    (doc.records || []).forEach(function (record, i) {
      (record.signatory_refs || []).forEach(function (k) { attached[k] = true; });
      pane.appendChild(renderRecord(record, i, doc, marks));
    });
    var loose = [];
    (doc.signatories || []).forEach(function (s, k) { if (!attached[k]) { loose.push(s); } });
    if (loose.length) {
      var sec = add(el('section', 'record'), el('h4', null, 'Signatures not attached to a form'));
      loose.forEach(function (s) { sec.appendChild(signatory(s, marks)); });
      pane.appendChild(sec);
    }
    if (!(doc.records || []).length && !(doc.signatories || []).length) {
      pane.appendChild(el('p', 'missing', 'Nothing was extracted from this document.'));
    }
  }

  function renderRecord(r, i, doc, marks) {
    var sec = el('section', 'record');
    var title = 'Form ' + (i + 1) + ': ' + (r.jabatan || r.heading || '(no jabatan)');
    var h = add(el('h4'), linked(el('span', null, title), r.span.start_line, r.span.end_line, null, r.confidence),
      lineChip(r.span.start_line, r.span.end_line), confBadge(r.confidence));
    if (isLow(r.confidence)) { marks.low[r.span.start_line] = true; }
    sec.appendChild(h);
    warningList(sec, r.warnings, null, marks);
    sec.appendChild(fieldList(r, marks));
    [['tugas_pokok', 'Tugas pokok'], ['fungsi', 'Fungsi'], ['tujuan', 'Tujuan'],
      ['indikator_tujuan', 'Indikator tujuan']].forEach(function (list) {
      var items = r[list[0]] || [];
      if (items.length) { add(sec, el('h5', null, list[1] + ' (' + items.length + ')'), itemList(items, marks)); }
    });
    if ((r.indicators || []).length) {
      add(sec, el('h5', null, 'Indicators (' + r.indicators.length + ')'), indicatorTable(r.indicators, marks));
    }
    var refs = (r.signatory_refs || []).filter(function (k) { return doc.signatories && doc.signatories[k]; });
    if (refs.length) {
      sec.appendChild(el('h5', null, 'Signatures'));
      refs.forEach(function (k) { sec.appendChild(signatory(doc.signatories[k], marks)); });
    }
    return sec;
  }

  function fieldList(r, marks) {
    var dl = el('dl', 'fields');
    ['heading', 'year', 'organization', 'jabatan', 'eselon'].forEach(function (key) {
      dl.appendChild(el('dt', null, key));
      var value = r[key];
      if (value === null || value === undefined || value === '') {
        dl.appendChild(el('dd', 'muted', '—'));
        return;
      }
      var at = locate(value, r.span);
      dl.appendChild(add(el('dd'), linked(el('span', null, value), at[0], at[1], marks), lineChip(at[0], at[1])));
    });
    return dl;
  }

  function itemList(items, marks) {
    var ol = el('ol', 'items');
    items.forEach(function (item) {
      var li = el('li');
      var value = el('span');
      if (item.label) { value.appendChild(el('span', 'lab', item.label + '.')); }
      value.appendChild(document.createTextNode(item.text));
      add(li, linked(value, item.line, item.line, marks), lineChip(item.line));
      ol.appendChild(li);
    });
    return ol;
  }

  function indicatorTable(indicators, marks) {
    var table = el('table', 'ind');
    var head = el('tr');
    ['No', 'Sasaran', 'Indikator', 'Rumus', 'Target', 'Sumber data', 'PJ', 'conf'].forEach(function (name) {
      head.appendChild(el('th', null, name));
    });
    table.appendChild(add(el('thead'), head));
    var body = el('tbody');
    indicators.forEach(function (ind) {
      var tr = linked(el('tr'), ind.line, ind.line, marks, ind.confidence);
      add(tr, add(el('td', null, ind.no || ''), lineChip(ind.line)), el('td', null, ind.sasaran || ''),
        el('td', null, ind.indikator), rumusCell(ind), el('td', null, targetText(ind.target)),
        el('td', null, ind.sumber_data || ''), el('td', null, (ind.penanggung_jawab || []).join('; ')),
        confBadge(ind.confidence));
      body.appendChild(tr);
    });
    table.appendChild(body);
    return table;
  }

  function rumusCell(ind) {
    var td = el('td', null, ind.rumus || '');
    var f = ind.formula;
    if (f) { td.appendChild(el('span', 'fk', formulaText(f))); }
    return td;
  }

  function formulaText(f) {
    switch (f.kind) {
      case 'ratio':
        return 'ratio: (' + f.numerator + ') ÷ (' + f.denominator + ')' +
          (f.scale !== null && f.scale !== undefined ? ' × ' + f.scale : '') + (f.unit ? ' ' + f.unit : '');
      case 'average':
        return 'average: (' + (f.terms || []).join(' + ') + ') ÷ ' + f.divisor;
      case 'count':
        return 'count: ' + f.subject;
      case 'text':
        return 'text';
      default:
        return String(f.kind);
    }
  }

  function targetText(t) {
    if (!t) { return ''; }
    var parsed = t.value === null || t.value === undefined ? '' : ' (' + t.value + (t.unit ? ' ' + t.unit : '') + ')';
    return t.raw + parsed;
  }

  function signatory(s, marks) {
    var parts = [s.role === 'approver' ? 'Mengetahui' : 'Signer'];
    if (s.position) { parts.push((s.acting ? 'Plt. ' : '') + s.position); }
    parts.push(s.display_name || s.name);
    if (s.nip) { parts.push('NIP ' + s.nip + (s.nip_info && !s.nip_info.plausible ? ' (implausible)' : '')); }
    if (s.place || s.date) { parts.push([s.place, s.date].filter(Boolean).join(', ')); }
    var div = el('div', 'sig');
    add(div, linked(el('span', null, parts.join(' · ')), s.line, s.line, marks, s.confidence),
      lineChip(s.line), confBadge(s.confidence));
    return div;
  }

  function warningList(parent, warnings, title, marks) {
    if (!warnings || !warnings.length) { return; }
    if (title) { parent.appendChild(el('h5', 'wtitle', title)); }
    var ul = el('ul', 'warns');
    warnings.forEach(function (w) {
      var li = el('li');
      add(li, '⚠ ', el('code', null, w.code), ' ' + w.message);
      if (typeof w.line === 'number' && w.line > 0) {
        linked(li, w.line, w.line, null);
        li.appendChild(lineChip(w.line));
        marks.warn[w.line] = (marks.warn[w.line] ? marks.warn[w.line] + '\n' : '') + w.code + ': ' + w.message;
      }
      ul.appendChild(li);
    });
    parent.appendChild(ul);
  }

  function sourcePane(src, marks) {
    var pane = el('div', 'pane source');
    pane.appendChild(el('h3', null, 'Source'));
    if (!src || typeof src.text !== 'string') {
      pane.appendChild(el('p', 'missing', 'Source not available: ' + (src && src.missing ? src.missing : 'not embedded')));
      return pane;
    }
    if (src.changed) {
      pane.appendChild(el('p', 'note bad', 'The source file changed since extraction (its size or sha256 differs): lines may not match.'));
    }
    if (src.truncated) { pane.appendChild(el('p', 'note', 'Source cut: ' + src.truncated + '.')); }
    var box = el('div', 'src');
    var frag = document.createDocumentFragment();
    for (var i = 0; i < cur.lines.length; i++) {
      var n = i + 1;
      var line = add(el('div', lineClass(n, marks)), el('span', 'no', n), el('span', 'tx', cur.lines[i]));
      line.dataset.n = n;
      if (marks.warn[n]) { line.title = marks.warn[n]; }
      cur.lineEls[n] = line;
      frag.appendChild(line);
    }
    box.appendChild(frag);
    pane.appendChild(box);
    box.addEventListener('click', function (e) {
      var line = e.target.closest ? e.target.closest('.ln') : null;
      if (line) { selectValuesAt(toInt(line.dataset.n)); }
    });
    return pane;
  }

  function lineClass(n, marks) {
    var cls = 'ln';
    if (marks.ref[n]) { cls += ' ref'; }
    if (marks.low[n]) { cls += ' lowl'; }
    if (marks.warn[n]) { cls += ' warn'; }
    return cls;
  }

  /* ---- selection ---------------------------------------------------------------------- */

  function unselect() {
    cur.hl.forEach(function (line) { line.classList.remove('hl'); });
    cur.sel.forEach(function (node) { node.classList.remove('sel'); });
    cur.hl = [];
    cur.sel = [];
  }

  function highlight(a, b) {
    var end = Math.min(b, a + MAX_MARK_LINES);
    for (var n = a; n <= end; n++) {
      var line = cur.lineEls[n];
      if (line) { line.classList.add('hl'); cur.hl.push(line); }
    }
  }

  function scrollWithin(pane, node) {
    if (!pane || !node) { return; }
    var top = node.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
    pane.scrollTop = Math.max(0, top - pane.clientHeight / 3);
  }

  /* Lines a..b selected, with the value node (or, from an address, the value with exactly
   * those lines). */
  function selectLines(a, b, node, fromAddress) {
    if (!cur) { return; }
    unselect();
    highlight(a, b);
    if (!node && fromAddress) {
      var found = cur.values.filter(function (v) { return v.a === a && v.b === b; })[0];
      node = found ? found.node : null;
    }
    if (node) {
      node.classList.add('sel');
      cur.sel.push(node);
      if (fromAddress) { scrollWithin(cur.extracted, node); }
    }
    scrollWithin(cur.source, cur.lineEls[a]);
    if (!fromAddress) {
      history.replaceState(null, '', '#doc=' + cur.id + '&l=' + a + (b !== a ? '-' + b : ''));
    }
  }

  /* The narrowest values whose lines hold line n. */
  function selectValuesAt(n) {
    if (!cur || n === null) { return; }
    var covering = cur.values.filter(function (v) { return v.a <= n && n <= v.b; });
    var width = Math.min.apply(null, covering.map(function (v) { return v.b - v.a; }));
    var best = covering.filter(function (v) { return v.b - v.a === width; });
    unselect();
    highlight(n, n);
    best.forEach(function (v) { v.node.classList.add('sel'); cur.sel.push(v.node); });
    if (best.length) { scrollWithin(cur.extracted, best[0].node); }
  }

  function onDetailClick(e) {
    var target = e.target.closest ? e.target.closest('[data-a]') : null;
    if (!target || !cur || !byId('detail').contains(target)) { return; }
    selectLines(toInt(target.dataset.a), toInt(target.dataset.b), target, false);
  }

  function onKey(e) {
    var tag = e.target && e.target.tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var nav = cur ? byId('detail') : byId('pager');
    var rel = { ArrowLeft: cur ? '.prev' : null, ArrowRight: cur ? '.next' : null, Escape: cur ? '.back' : null }[e.key];
    if (!cur && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      var page = listPage + (e.key === 'ArrowLeft' ? -1 : 1);
      if (page >= 1 && page <= pageCount(currentView().length)) { go('#page=' + page); }
      return;
    }
    var target = rel ? nav.querySelector(rel) : null;
    if (target) { location.hash = target.getAttribute('href'); }
  }

  var BASE_TITLE = document.title;
  setupControls();
  byId('detail').addEventListener('click', onDetailClick);
  document.addEventListener('keydown', onKey);
  window.addEventListener('hashchange', route);
  route();
})();
