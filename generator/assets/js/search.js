/* Search through Pagefind's chunked index: a query downloads only the index
   chunks for its words and the fragments of the results it shows, so the first
   search stays small however many stations the site has. */
(function () {
  "use strict";
  var form = document.querySelector("[data-search-form]");
  var list = document.querySelector("[data-search-results]");
  var here = document.currentScript && document.currentScript.src;
  if (!form || !here) return;
  var base = new URL("../../", here);  // this file lives in <site>/assets/yizhan/

  // On pages other than the search page, the form simply goes there (?q=...).
  if (!list) return;
  var status = document.querySelector("[data-search-status]");
  var more = document.querySelector("[data-search-more]");
  var input = form.querySelector("input[name=q]");
  var PAGE = 10;
  var engine = null, results = [], shown = 0, serial = 0;

  function load() {
    if (!engine) {
      // A large site's index comes in parts (generator/search_index.py); the list is fetched
      // alongside the script, so it costs no extra wait.
      var parts = fetch(new URL("pagefind/yizhan-parts.json", base)).then(function (r) {
        if (!r.ok) throw new Error("search parts: " + r.status);
        return r.json();
      });
      engine = Promise.all([import(new URL("pagefind/pagefind.js", base).href), parts]).then(function (got) {
        var pf = got[0], options = { baseUrl: base.pathname, excerptLength: 24 };
        return pf.options(options).then(function () {
          return Promise.all(got[1].map(function (part) {
            return pf.mergeIndex(new URL("pagefind/" + part, base).pathname, { baseUrl: base.pathname });
          }));
        }).then(function () { return pf; });
      });
    }
    return engine;
  }

  // Pagefind's excerpt is escaped text with <mark> around hits; keep only those two things.
  function excerpt(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;  // a template's content is inert: nothing in it loads or runs
    var p = document.createElement("p");
    p.className = "yz-results__excerpt";
    tpl.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = node.textContent;
        p.appendChild(m);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  // A town's sheet of stations (a site too large for a page each) is shown as the stations on it
  // that matched: each is a heading with its id, which Pagefind gives as a sub-result.
  function entries(d) {
    var meta = d.meta || {};
    var found = meta.sheet ? (d.sub_results || []).filter(function (s) { return s.url.indexOf("#") > 0; }) : [];
    return found.length ? found : [{ url: d.url, title: meta.title, excerpt: d.excerpt }];
  }

  function showMore(mine) {
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = shown >= results.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== serial) return;
      items.forEach(function (d) {
        entries(d).forEach(function (e) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = e.url;
          a.textContent = e.title || e.url;
          li.appendChild(a);
          li.appendChild(excerpt(e.excerpt || ""));
          list.appendChild(li);
        });
      });
    });
  }

  function run(query) {
    var mine = ++serial;
    query = query.trim();
    list.textContent = "";
    more.hidden = true;
    results = []; shown = 0;
    if (!query) { status.textContent = ""; return Promise.resolve(); }
    status.textContent = "正在搜索……";
    return load().then(function (pf) { return pf.search(query); }).then(function (found) {
      if (mine !== serial) return;
      results = found.results;
      status.textContent = results.length
        ? "找到 " + results.length + " 个结果：" + query
        : "没有找到与“" + query + "”有关的内容。换个词试试，或到驿站名录里筛选。";
      return showMore(mine);
    }).catch(function () {
      if (mine === serial) status.textContent = "搜索暂时无法使用（索引没有加载成功），请刷新页面重试，或使用驿站名录。";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(location.href);
    url.searchParams.set("q", input.value.trim());
    history.replaceState(null, "", url);
    run(input.value);
  });
  var timer = null, composing = false;
  input.addEventListener("compositionstart", function () { composing = true; });
  input.addEventListener("compositionend", function () { composing = false; });
  input.addEventListener("input", function () {
    if (composing) return;  // half-typed pinyin is not a query
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 250);
  });
  more.addEventListener("click", function () { showMore(serial); });

  var q = new URL(location.href).searchParams.get("q");
  if (q) { input.value = q; run(q); }
})();
