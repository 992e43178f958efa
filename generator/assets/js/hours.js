/*
 * 驿站开放数据 · "open now" badges.
 *
 * The build compiles each station's opening_hours into compact JSON
 * (generator/hours/compile.py, CompiledHours.to_json):
 *   v  format version (1)
 *   w  seven lists Mo..Su of [start, end] minutes after local midnight;
 *      end may pass 1440 (20:00-02:00 is [1200, 1560]); null = unknown hours
 *   x  {"YYYY-MM-DD": {i: intervals, r: reason, q: true if a guess}} dates
 *      whose hours differ from w (holidays, 调休 make-up working days)
 *   u  last date x is known for; later dates fall back to w
 *   a  true when open around the clock, holidays included
 *   h  "off" | "open" | "same" — what the hours say about public holidays
 *
 * All times are Beijing time whatever the visitor's clock is set to, so the
 * wall time is read through Intl with timeZone Asia/Shanghai.
 * No dependencies, no modules; data is only ever written with textContent.
 */
(function (root) {
  'use strict';

  var TZ = 'Asia/Shanghai';
  var OFFSET = '+08:00'; // China has had no daylight saving time since 1991
  var DAY = 1440;
  var SOON = 30; // minutes: "closing soon" threshold
  var HORIZON = 14; // days searched ahead for the next opening
  var WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
  var TEXT = {
    unknown: '营业时间未知，请致电确认',
    always: '24 小时营业',
    open: '营业中',
    soon: '即将关门（' + SOON + ' 分钟内）',
    closed: '已关门',
    fallback: '节假日安排未知，按平时时间推算'
  };

  var wallFormat = null;

  function pad(n) {
    return (n < 10 ? '0' : '') + n;
  }

  /* Beijing wall time of an instant: {day: days since 1970-01-01, minute: 0..1439}. */
  function wallClock(now) {
    if (!wallFormat) {
      wallFormat = new Intl.DateTimeFormat('en-CA', {
        timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', hourCycle: 'h23'
      });
    }
    var p = {};
    wallFormat.formatToParts(now).forEach(function (part) { p[part.type] = part.value; });
    var hour = Number(p.hour) % 24; // some engines still say "24" at midnight
    return {
      day: Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day)) / 86400000,
      minute: hour * 60 + Number(p.minute)
    };
  }

  /* Day numbers are UTC day counts used purely as calendar dates. */
  function isoDate(day) {
    return new Date(day * 86400000).toISOString().slice(0, 10);
  }

  function weekday(day) {
    return (day + 3) % 7; // 1970-01-01 was a Thursday; Monday = 0
  }

  function exceptionFor(c, day) {
    var iso = isoDate(day);
    if (c.x && c.u && iso <= c.u && Object.prototype.hasOwnProperty.call(c.x, iso)) {
      return c.x[iso];
    }
    return null;
  }

  function intervalsFor(c, day) {
    var exc = exceptionFor(c, day);
    return exc ? exc.i : c.w[weekday(day)] || [];
  }

  /* Open periods from yesterday (its hours may run past midnight) to the horizon,
     as minutes since today's midnight, sorted and merged so that back-to-back
     intervals read as one. */
  function timeline(c, today) {
    var list = [];
    for (var k = -1; k <= HORIZON; k++) {
      intervalsFor(c, today + k).forEach(function (iv) {
        list.push([k * DAY + iv[0], k * DAY + iv[1]]);
      });
    }
    list.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    list.forEach(function (iv) {
      var last = merged[merged.length - 1];
      if (last && iv[0] <= last[1]) {
        last[1] = Math.max(last[1], iv[1]);
      } else {
        merged.push([iv[0], iv[1]]);
      }
    });
    return merged;
  }

  /* Minute t since today's midnight → {day, minute}; a close exactly at midnight
     reads as 24:00 of the day before, not 00:00 of the next. */
  function split(today, t, isClose) {
    var k = Math.floor(t / DAY);
    var m = t - k * DAY;
    if (isClose && m === 0) {
      k -= 1;
      m = DAY;
    }
    return {day: today + k, offset: k, minute: m};
  }

  function dayWord(today, day) {
    var k = day - today;
    if (k === 0) return '';
    if (k === 1) return '明天 ';
    if (k < 7) return WEEKDAYS[weekday(day)] + ' ';
    var d = new Date(day * 86400000);
    return (d.getUTCMonth() + 1) + '月' + d.getUTCDate() + '日 ';
  }

  function when(today, t, isClose) {
    var s = split(today, t, isClose);
    return {
      text: dayWord(today, s.day) + pad(Math.floor(s.minute / 60)) + ':' + pad(s.minute % 60),
      iso: s.minute === DAY
        ? isoDate(s.day + 1) + 'T00:00:00' + OFFSET
        : isoDate(s.day) + 'T' + pad(Math.floor(s.minute / 60)) + ':' + pad(s.minute % 60) + ':00' + OFFSET
    };
  }

  /* "营业中 · 18:00 关门"; no space after a full-width bracket: "即将关门（30 分钟内）· 18:00 关门". */
  function joinLabel(head, tail) {
    return head + (/）$/.test(head) ? '· ' : ' · ') + tail;
  }

  /* State of a station at instant `now` (a Date). `compact` is the JSON object or its text. */
  function evaluate(compact, now) {
    var c = typeof compact === 'string' ? JSON.parse(compact) : compact;
    var result = {state: 'unknown', label: TEXT.unknown, reason: null, unconfirmed: false,
                  fallback: false, note: null, closesAt: null, nextOpen: null};
    if (!c || !c.w) return result;
    if (c.a) {
      result.state = 'open';
      result.label = TEXT.always;
      return result;
    }
    var clock = wallClock(now || new Date());
    var today = clock.day;
    var m = clock.minute;
    var exc = exceptionFor(c, today);
    if (exc) {
      result.reason = exc.r || null;
      result.unconfirmed = exc.q === true;
    }
    if (c.u && isoDate(today) > c.u) {
      result.fallback = true;
      result.note = TEXT.fallback;
    }
    var end = (HORIZON + 1) * DAY;
    var periods = timeline(c, today);
    for (var i = 0; i < periods.length; i++) {
      var p = periods[i];
      if (p[0] <= m && m < p[1]) {
        result.state = 'open';
        if (p[1] >= end) { // open past everything we can see: no closing time to promise
          result.label = TEXT.open;
          return result;
        }
        var close = when(today, p[1], true);
        result.closesAt = close.iso;
        result.state = p[1] - m <= SOON ? 'closing-soon' : 'open';
        result.label = joinLabel(result.state === 'open' ? TEXT.open : TEXT.soon, close.text + ' 关门');
        return result;
      }
      if (p[0] > m) {
        var open = when(today, p[0], false);
        result.state = 'closed';
        result.nextOpen = open.iso;
        result.label = joinLabel(TEXT.closed, open.text + ' 开门');
        return result;
      }
    }
    result.state = 'closed';
    result.label = TEXT.closed;
    return result;
  }

  /* The badge's words: the label, then why (holiday, guess) when there is a why. */
  function badgeText(r) {
    var extra = [r.reason, r.note].filter(Boolean);
    return [r.label].concat(extra).join(' · ');
  }

  /* Fill every [data-hours] element under root with its current state. */
  function applyBadges(rootNode, now) {
    var scope = rootNode || (typeof document !== 'undefined' ? document : null);
    if (!scope || !scope.querySelectorAll) return;
    var at = now || new Date();
    var nodes = scope.querySelectorAll('[data-hours]');
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var r;
      try {
        r = evaluate(el.getAttribute('data-hours'), at);
      } catch (e) {
        r = {state: 'unknown', label: TEXT.unknown};
      }
      el.textContent = badgeText(r);
      el.setAttribute('data-state', r.state);
    }
  }

  var api = {evaluate: evaluate, applyBadges: applyBadges, badgeText: badgeText, wallClock: wallClock};

  if (typeof module === 'object' && module && module.exports) {
    module.exports = api;
  }
  if (root) {
    root.YizhanHours = api;
  }

  if (typeof document !== 'undefined' && root && !root.__yizhanHoursStarted) {
    root.__yizhanHoursStarted = true; // the script may be included twice; one timer is enough
    var run = function () { applyBadges(document); };
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', run);
    } else {
      run();
    }
    // mkdocs-material's instant navigation swaps pages without a new DOMContentLoaded.
    if (root.document$ && typeof root.document$.subscribe === 'function') {
      root.document$.subscribe(run);
    }
    setInterval(run, 60 * 1000);
  }
})(typeof window !== 'undefined' ? window : (typeof globalThis !== 'undefined' ? globalThis : this));
