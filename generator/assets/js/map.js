/* Leaflet maps. Markers differ by shape and colour; popups are built from text nodes, never HTML from data.
   Without tiles (offline, blocked) the markers and the page still work. */
(function () {
  'use strict';
  var COLOR = /^#[0-9a-fA-F]{6}$/;
  var SHAPES = {
    circle: '<circle cx="10" cy="10" r="8"/>',
    square: '<rect x="2.5" y="2.5" width="15" height="15"/>',
    triangle: '<polygon points="10,1.5 18.5,17.5 1.5,17.5"/>',
    diamond: '<polygon points="10,1 19,10 10,19 1,10"/>',
    star: '<polygon points="10,1 12.6,7.2 19.2,7.6 14.1,11.8 15.7,18.4 10,14.8 4.3,18.4 5.9,11.8 0.8,7.6 7.4,7.2"/>'
  };

  function icon(marker, color) {
    var shape = SHAPES[marker] || SHAPES.circle;  // only our own SVG strings reach html
    var fill = COLOR.test(color || '') ? color : '#37474f';
    return L.divIcon({
      className: 'yz-marker yz-marker--' + (SHAPES[marker] ? marker : 'circle'),
      html: '<svg width="26" height="26" viewBox="0 0 20 20" aria-hidden="true"><g fill="' + fill +
        '" stroke="#fff" stroke-width="1.5">' + shape + '</g></svg>',
      iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12]
    });
  }

  /* WGS-84 → GCJ-02, needed only on Amap tiles; the content itself stays WGS-84. */
  function toGcj(lat, lon) {
    var a = 6378245.0, ee = 0.00669342162296594323, PI = Math.PI;
    function tLat(x, y) {
      var r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
      r += (20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2 / 3;
      r += (20 * Math.sin(y * PI) + 40 * Math.sin(y / 3 * PI)) * 2 / 3;
      return r + (160 * Math.sin(y / 12 * PI) + 320 * Math.sin(y * PI / 30)) * 2 / 3;
    }
    function tLon(x, y) {
      var r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
      r += (20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2 / 3;
      r += (20 * Math.sin(x * PI) + 40 * Math.sin(x / 3 * PI)) * 2 / 3;
      return r + (150 * Math.sin(x / 12 * PI) + 300 * Math.sin(x / 30 * PI)) * 2 / 3;
    }
    var dLat = tLat(lon - 105, lat - 35), dLon = tLon(lon - 105, lat - 35);
    var rad = lat / 180 * PI, magic = 1 - ee * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dLat = dLat * 180 / ((a * (1 - ee)) / (magic * sq) * PI);
    dLon = dLon * 180 / (a / sq * Math.cos(rad) * PI);
    return [lat + dLat, lon + dLon];
  }

  function settings() {
    return window.YIZHAN_MAP_CONFIG || {provider: 'osm'};
  }

  function position(lat, lon) {
    return settings().provider === 'amap' ? toGcj(lat, lon) : [lat, lon];
  }

  function addTiles(map) {
    var cfg = settings();
    if (cfg.provider === 'tianditu' && cfg.tiandituKey) {
      var url = 'https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}' +
        '&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=' + encodeURIComponent(cfg.tiandituKey);
      L.tileLayer(url, {layer: 'vec', subdomains: '01234567', maxZoom: 18, attribution: '© 天地图'}).addTo(map);
      L.tileLayer(url, {layer: 'cva', subdomains: '01234567', maxZoom: 18}).addTo(map);
    } else if (cfg.provider === 'amap') {
      L.tileLayer('https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}',
        {subdomains: '1234', maxZoom: 18, attribution: '© 高德地图'}).addTo(map);
    } else {
      L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png',
        {maxZoom: 19, attribution: '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> 贡献者'}).addTo(map);
    }
  }

  var STATUS_ZH = {'temporarily-closed': '暂停开放', closed: '已关闭'};

  /* The station list is one array, or for very large sites {towns: [...]} with one file per town
     (generator/render/mapdata.py). Each file is fetched once per page. */
  var fetched = {};
  function getJson(url) {
    if (!fetched[url]) {
      fetched[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      });
    }
    return fetched[url];
  }
  function townUrl(src, town) { return new URL(town.f, new URL(src, location.href)).href; }
  function townBounds(town) { return L.latLngBounds(position(town.b[0], town.b[1]), position(town.b[2], town.b[3])); }
  // Degrees to the town's box, longitude shrunk by latitude: enough to order towns by nearness.
  function boxGap(b, lat, lon) {
    var dLat = Math.max(b[0] - lat, 0, lat - b[2]);
    var dLon = Math.max(b[1] - lon, 0, lon - b[3]) * Math.cos(lat * Math.PI / 180);
    return dLat * dLat + dLon * dLon;
  }
  window.YizhanStations = {
    /* Every station, or on a split list those of the `towns` towns nearest to (lat, lon). */
    near: function (src, lat, lon, towns) {
      return getJson(src).then(function (data) {
        if (Array.isArray(data)) return data;
        var nearest = data.towns.slice().sort(function (a, b) {
          return boxGap(a.b, lat, lon) - boxGap(b.b, lat, lon);
        }).slice(0, towns || 3);
        return Promise.all(nearest.map(function (t) { return getJson(townUrl(src, t)); })).then(function (lists) {
          return [].concat.apply([], lists);
        });
      });
    }
  };

  function popup(s, root) {
    var box = document.createElement('div');
    box.className = 'yz-popup';
    var a = document.createElement('a');
    a.href = root + s.u;
    a.textContent = s.n;
    var kind = document.createElement('div');
    kind.textContent = s.k + ' · ' + s.t + (s.ap ? '（大致位置）' : '');
    var badge = document.createElement('div');
    badge.className = 'yz-badge';
    if (s.s === 'active') {
      badge.setAttribute('data-hours', JSON.stringify(s.h));
    } else {  // a closed station's usual hours must not read "营业中"
      badge.setAttribute('data-state', 'closed');
      badge.textContent = STATUS_ZH[s.s] || '暂停开放';
    }
    box.appendChild(a);
    box.appendChild(kind);
    box.appendChild(badge);
    if (window.YizhanHours) window.YizhanHours.applyBadges(box);
    return box;
  }

  function isOpenNow(s) {
    if (s.s !== 'active') return false;
    if (!window.YizhanHours) return true;
    var st = window.YizhanHours.evaluate(s.h, new Date()).state;
    return st === 'open' || st === 'closing-soon';
  }

  function overview(el) {
    var map = L.map(el, {scrollWheelZoom: false}).setView([36.1, 103.63], 12);
    addTiles(map);
    var cluster = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40});
    map.addLayer(cluster);
    var root = el.getAttribute('data-root') || '';
    var toggle = document.querySelector('[data-map-open-only]');
    var src = el.getAttribute('data-src');
    var stations = [];
    function draw(fit) {
      cluster.clearLayers();
      var shown = stations.filter(function (s) { return s.s !== 'closed' && (!toggle || !toggle.checked || isOpenNow(s)); });
      var markers = shown.map(function (s) {
        var m = L.marker(position(s.la, s.lo), {icon: icon(s.m, s.c), title: s.n, alt: s.n, keyboard: true});
        m.bindPopup(function () { return popup(s, root); });
        return m;
      });
      cluster.addLayers(markers);
      el.setAttribute('data-markers', String(markers.length));
      if (fit && markers.length) map.fitBounds(L.featureGroup(markers).getBounds().pad(0.2), {maxZoom: 15});
    }
    function failed() { el.setAttribute('data-error', '1'); el.textContent = '地图数据加载失败，请使用驿站名录。'; }
    getJson(src).then(function (data) {
      if (Array.isArray(data)) {
        stations = data;
        draw(true);
        if (toggle) toggle.addEventListener('change', function () { draw(true); });
      } else {
        byTown(map, el, src, data.towns, function (list) { stations = stations.concat(list); draw(false); }, failed);
        if (toggle) toggle.addEventListener('change', function () { draw(false); });
      }
    }).catch(failed);
  }

  /* A split list: one numbered marker per town; a town's stations load when it is clicked or in view. */
  function byTown(map, el, src, towns, add, failed) {
    var layer = L.layerGroup().addTo(map);
    var loading = {};
    function load(t) {
      if (loading[t.f]) return;
      loading[t.f] = getJson(townUrl(src, t)).then(function (list) { layer.removeLayer(t.marker); add(list); }, failed);
    }
    towns.forEach(function (t) {
      var count = String(Number(t.n) || 0);
      t.marker = L.marker(position(t.la, t.lo), {
        icon: L.divIcon({className: 'yz-town-marker', html: '<span>' + count + '</span>', iconSize: [44, 44]}),
        title: t.t + '：' + count + ' 处驿站', alt: t.t, keyboard: true
      });
      t.marker.on('click', function () { map.fitBounds(townBounds(t).pad(0.1), {maxZoom: 15}); load(t); });
      layer.addLayer(t.marker);
    });
    el.setAttribute('data-towns', String(towns.length));
    // Load the towns in view once they hold few enough stations to draw: not a whole province at once.
    var budget = settings().townBudget == null ? 2000 : settings().townBudget;
    function loadInView() {
      var view = map.getBounds();
      var seen = towns.filter(function (t) { return view.intersects(townBounds(t)); });
      var total = seen.reduce(function (sum, t) { return sum + (Number(t.n) || 0); }, 0);
      if (total <= budget || map.getZoom() >= 14) seen.forEach(load);
    }
    map.on('moveend', loadInView);
    if (towns.length) {
      var all = townBounds(towns[0]);
      towns.forEach(function (t) { all.extend(townBounds(t)); });
      map.fitBounds(all.pad(0.1), {maxZoom: 15});
    }
    el.setAttribute('data-markers', '0');
    loadInView();
  }

  function single(el) {
    var lat = parseFloat(el.getAttribute('data-lat')), lon = parseFloat(el.getAttribute('data-lon'));
    var approximate = el.getAttribute('data-approximate') === 'true';
    var at = position(lat, lon);
    var map = L.map(el, {scrollWheelZoom: false}).setView(at, approximate ? 13 : 16);
    addTiles(map);
    var name = el.getAttribute('data-name') || '';
    L.marker(at, {icon: icon(el.getAttribute('data-marker'), el.getAttribute('data-color')), title: name, alt: name}).addTo(map);
    if (approximate) {  // a circle says "somewhere around here" better than a pin
      L.circle(at, {radius: 1500, color: '#b45309', weight: 2, fillOpacity: 0.08, dashArray: '6 4'}).addTo(map);
    }
    el.setAttribute('data-markers', '1');
  }

  function start() {
    if (!window.L) return;
    Array.prototype.forEach.call(document.querySelectorAll('[data-map]'), function (el) {
      if (el.getAttribute('data-map') === 'all') overview(el); else single(el);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
