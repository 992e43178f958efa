/* 西固驿站: directory filters, distance sorting, "near me", larger text. No data ever goes into innerHTML. */
(function () {
  'use strict';
  var LARGE_KEY = 'yizhan-large-text';

  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function applyTextSize(large) {
    document.documentElement.classList.toggle('yz-large', large);
  }

  function textSizeToggle() {
    var large = false;
    try { large = localStorage.getItem(LARGE_KEY) === '1'; } catch (e) { /* private mode */ }
    applyTextSize(large);
    var header = document.querySelector('.md-header__inner');
    if (!header || document.querySelector('[data-text-size]')) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'yz-text-size';
    button.setAttribute('data-text-size', '');
    button.setAttribute('aria-pressed', String(large));
    button.textContent = large ? '标准字号' : '大字号';
    button.addEventListener('click', function () {
      large = !large;
      applyTextSize(large);
      button.setAttribute('aria-pressed', String(large));
      button.textContent = large ? '标准字号' : '大字号';
      try { localStorage.setItem(LARGE_KEY, large ? '1' : '0'); } catch (e) { /* ignore */ }
    });
    header.insertBefore(button, header.querySelector('.md-search') || null);
  }

  function metres(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180;
    var h = Math.pow(Math.sin((lat2 - lat1) * r / 2), 2) +
      Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.pow(Math.sin((lon2 - lon1) * r / 2), 2);
    return 2 * 6371000 * Math.asin(Math.sqrt(h));
  }

  function distanceText(m, approximate) {
    var t = m < 1000 ? '约 ' + Math.round(m / 10) * 10 + ' 米' : '约 ' + (m / 1000).toFixed(1) + ' 公里';
    return approximate ? t + '（大致位置）' : t;
  }

  function isOpen(el) {
    var badge = el.querySelector('[data-hours]');
    var state = badge && badge.getAttribute('data-state');
    return state === 'open' || state === 'closing-soon';
  }

  /* Where the visitor is: a test or the page may preset it; otherwise ask the browser (it never leaves the device). */
  function locate(done, fail) {
    if (!navigator.geolocation) { fail('此浏览器不能定位'); return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      done(pos.coords.latitude, pos.coords.longitude);
    }, function () { fail('无法获取您的位置：请允许定位，或在名录里按街道查找'); },
    {enableHighAccuracy: false, timeout: 15000, maximumAge: 300000});
  }

  function directory() {
    var form = document.querySelector('[data-filters]');
    if (!form) return;
    var items = $all('.yz-list > .yz-card');
    var list = items.length ? items[0].parentNode : null;
    var count = document.querySelector('[data-result-count]');
    var openOnly = form.querySelector('[data-filter-open]');
    form.addEventListener('submit', function (e) { e.preventDefault(); });  // filtering never reloads the page
    function apply() {
      var shown = 0;
      var active = $all('[data-filter]', form).filter(function (s) { return s.value; });
      items.forEach(function (li) {
        var ok = active.every(function (s) {
          var name = s.getAttribute('data-filter');
          var values = (li.getAttribute('data-' + name) || '').split(name === 'town' ? /\n/ : /\s+/);
          return values.indexOf(s.value) !== -1;
        });
        if (ok && openOnly.checked) ok = isOpen(li);
        li.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = '共 ' + shown + ' 处驿站' + (shown < items.length ? '（已筛选，全部 ' + items.length + ' 处）' : '');
    }
    // A large site's kind and service pages link here as ?kind=… or ?services=…: start with that filter set.
    var params = new URL(location.href).searchParams;
    $all('[data-filter]', form).forEach(function (s) {
      var wanted = params.get(s.getAttribute('data-filter'));
      if (wanted && $all('option', s).some(function (o) { return o.value === wanted; })) s.value = wanted;
      s.addEventListener('change', apply);
    });
    openOnly.addEventListener('change', apply);
    form.querySelector('[data-sort-distance]').addEventListener('click', function () {
      count.textContent = '正在定位……';
      locate(function (lat, lon) {
        items.forEach(function (li) {
          var la = parseFloat(li.getAttribute('data-lat')), lo = parseFloat(li.getAttribute('data-lon'));
          var d = isNaN(la) ? Infinity : metres(lat, lon, la, lo);
          li.setAttribute('data-distance-m', String(d));
          li.querySelector('[data-distance]').textContent = isFinite(d) ? distanceText(d, true) : '位置未知';
        });
        items.sort(function (a, b) {
          return parseFloat(a.getAttribute('data-distance-m')) - parseFloat(b.getAttribute('data-distance-m'));
        });
        items.forEach(function (li) { list.appendChild(li); });
        apply();
      }, function (msg) { count.textContent = msg; });
    });
    setInterval(function () { if (openOnly.checked) apply(); }, 60000);
    apply();
  }

  function nearMe() {
    var button = document.querySelector('[data-near-me]');
    if (!button) return;
    var status = document.querySelector('[data-near-status]');
    var out = document.querySelector('[data-near-list]');
    var src = document.querySelector('[data-map="all"]');
    button.addEventListener('click', function () {
      status.textContent = '正在定位……';
      locate(function (lat, lon) {
        var list = window.YizhanStations ? window.YizhanStations.near(src.getAttribute('data-src'), lat, lon)
          : fetch(src.getAttribute('data-src')).then(function (r) { return r.json(); });
        list.then(function (stations) {
          var root = src.getAttribute('data-root') || '';
          var ranked = stations.filter(function (s) { return s.s !== 'closed'; }).map(function (s) {
            return {s: s, d: metres(lat, lon, s.la, s.lo)};
          }).sort(function (a, b) { return a.d - b.d; }).slice(0, 5);
          out.textContent = '';
          ranked.forEach(function (r) {
            var li = document.createElement('li');
            li.className = 'yz-card';
            var a = document.createElement('a');
            a.className = 'yz-card__name';
            a.href = root + r.s.u;
            a.textContent = r.s.n;
            var kind = document.createElement('span');
            kind.className = 'yz-card__kind';
            kind.textContent = r.s.k + ' · ' + r.s.t;
            var badge = document.createElement('span');
            badge.className = 'yz-badge';
            if (r.s.s === 'active') {
              badge.setAttribute('data-hours', JSON.stringify(r.s.h));
            } else {  // usual hours would say "营业中" for a station that is not open at all
              badge.setAttribute('data-state', 'closed');
              badge.textContent = '暂停开放';
            }
            var dist = document.createElement('span');
            dist.className = 'yz-card__distance';
            dist.textContent = distanceText(r.d, r.s.ap);
            [a, kind, badge, dist].forEach(function (n) { li.appendChild(n); });
            out.appendChild(li);
          });
          if (window.YizhanHours) window.YizhanHours.applyBadges(out);
          status.textContent = ranked.length ? '离您最近的 ' + ranked.length + ' 处驿站：' : '附近没有收录的驿站';
        }).catch(function () { status.textContent = '驿站列表加载失败，请稍后再试'; });
      }, function (msg) { status.textContent = msg; });
    });
  }

  /* Highlight today's row in a station's week table (in Beijing time, like the badge). */
  function highlightToday() {
    if (!window.YizhanHours) return;
    var clock = window.YizhanHours.wallClock(new Date());
    var weekday = (new Date(Date.UTC(1970, 0, 1 + clock.day)).getUTCDay() + 6) % 7;
    $all('.yz-week tr[data-weekday]').forEach(function (tr) {
      var today = tr.getAttribute('data-weekday') === String(weekday);
      tr.classList.toggle('yz-today', today);
      if (today) tr.setAttribute('aria-current', 'date');
    });
  }

  function start() {
    $all('.yz-js-only').forEach(function (el) { el.hidden = false; });
    textSizeToggle();
    directory();
    nearMe();
    highlightToday();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
