/* skillcert chat page. Plain JS, no build step, no library.
   Every text from the user or the server goes into the page with textContent / createTextNode only. */
(function () {
  "use strict";
  var root = document.documentElement;
  var BASE = root.getAttribute("data-base") || "";
  var I18N = {
    zh: {
      title: "职业技能等级认定 政策助手", subtitle: "依据山东省人社厅 2021-08-12 通知 · 答案注明条款",
      contacts: "联系人", more: "更多", check: "资格问卷", check_long: "开始资格问卷", checklist: "生成申报材料",
      help: "使用帮助", upload: "上传附件3（.xlsx）", file_sent: "上传文件：", clear: "清除我的数据", clear_q: "清除本会话的全部记录和生成的文件？", clear_yes: "清除",
      cancel: "取消", back: "上一题", cancel_form: "取消问卷", send: "发送",
      placeholder: "输入您的问题…",
      hello: "您好！我回答技工院校开展职业技能等级认定的政策问题，每个回答都注明依据的条款并引用原文。",
      try: "直接提问，或点下面的按钮：",
      ex1: "我们能给老师认定二级吗？", ex2: "申报社会培训评价组织要交什么材料？", ex3: "“3+2”学生怎么认定？",
      yes: "可以", no: "不可以", conditional: "有条件", step: "第 {n} / 约 {t} 步", did_you_mean: "您是不是想问：",
      edit: "修改", edit_cmd: "改 {n}", edit_occ: "改 工种{n}", not_sent: "未发送", retry: "重试", files: "下载文件（仅本会话可下载，过期失效）：", rate: "有用吗？",
      thinking: "正在回答…", offline: "连接不上服务器，请稍后再试。", cleared: "已清除。",
      toggle_on: "已选", lang_other: "EN", useful: "有用", not_useful: "没用",
      too_long: "已输入 {n} 字，超过 {max} 字的上限，不能发送。请删减，或分几次发送。"
    },
    en: {
      title: "Policy assistant", subtitle: "Skill-level certification · Shandong notice of 12 Aug 2021 · clauses cited",
      contacts: "Contacts", more: "More", check: "Questionnaire", check_long: "Start the questionnaire",
      checklist: "Application documents", help: "Help", upload: "Upload 附件3 (.xlsx)", file_sent: "File: ", clear: "Clear my data",
      clear_q: "Erase this session's records and generated files?", clear_yes: "Erase", cancel: "Cancel",
      back: "Back", cancel_form: "Stop", send: "Send", placeholder: "Type your question…",
      hello: "Hello! I answer technical schools' questions on skill-level certification, citing and quoting the clauses of the notice.",
      try: "Ask a question, or tap a button:",
      ex1: "Can we certify teachers at level 2?", ex2: "What do we file to become a social training evaluation organisation?",
      ex3: "How are 3+2 students certified?",
      yes: "Yes", no: "No", conditional: "Conditional", step: "Step {n} of about {t}", did_you_mean: "Did you mean:",
      edit: "Edit", edit_cmd: "edit {n}", edit_occ: "edit occupation {n}", not_sent: "Not sent", retry: "Retry", files: "Downloads (this session only, they expire):", rate: "Helpful?",
      thinking: "Answering…", offline: "Cannot reach the server; please try again later.", cleared: "Erased.",
      toggle_on: "selected", lang_other: "中文", useful: "Useful", not_useful: "Not useful",
      too_long: "{n} characters: over the {max} limit, so it cannot be sent. Please shorten it or send it in parts."
    }
  };
  var lang = root.getAttribute("data-lang") || "";
  try { lang = lang || localStorage.getItem("skillcert-lang") || ""; } catch (e) { /* storage blocked */ }
  if (lang !== "en") lang = "zh";

  var log = document.getElementById("log");
  var input = document.getElementById("input");
  var form = document.getElementById("composer");
  var sendBtn = document.getElementById("send");
  var formbar = document.getElementById("formbar");
  var busy = false;

  function t(key, vars, inLang) {
    var l = inLang || lang;
    var s = (I18N[l] && I18N[l][key]) || I18N.zh[key] || key;
    if (vars) Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
    return s;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function applyLang() {
    root.setAttribute("lang", lang === "zh" ? "zh-CN" : "en");
    document.title = t("title");
    document.querySelectorAll("[data-i18n]").forEach(function (e) { e.textContent = t(e.getAttribute("data-i18n")); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach(function (e) {
      e.setAttribute("placeholder", t(e.getAttribute("data-i18n-placeholder")));
    });
    document.querySelectorAll("[data-i18n-label]").forEach(function (e) {
      e.setAttribute("aria-label", t(e.getAttribute("data-i18n-label")));
    });
    document.getElementById("btn-lang").textContent = t("lang_other");
    document.getElementById("btn-lang").setAttribute("lang", lang === "zh" ? "en" : "zh");
  }

  /* ---------------------------------------------------------------- plain text to elements */

  var PHONE = /(0\d{2,3}-\d{7,8}|1[3-9]\d{9})|(\/(?:checklist|check|contact|help|back|cancel|upload))(?![A-Za-z])/g;
  var LIST = /^\s*(?:(\d{1,2})[.、)]|[-•·*])\s+/;
  var CLAUSE = /^(依据〔|Source \[)/;
  var STEP_LINE = /^\s*(（第 \d+ \/ 约 \d+ 步）|\(Step \d+ of about \d+\))\s*\n/;

  function inline(parent, text) {
    /* text with phone numbers as tap-to-call links */
    var last = 0, m;
    PHONE.lastIndex = 0;
    while ((m = PHONE.exec(text)) !== null) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      if (m[1]) {
        var a = el("a", "tel", m[1]);
        a.href = "tel:" + m[1].replace(/-/g, "");
        parent.appendChild(a);
      } else {  /* a command named in the text: tap to send it */
        var c = el("button", "cmd", m[2]);
        c.type = "button";
        c.setAttribute("data-send", m[2]);
        parent.appendChild(c);
      }
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function editButton(command, inLang) {
    /* the summary's language, not the page's (try29: a Chinese summary with English "Edit" buttons) */
    var b = el("button", "edit", (inLang && I18N[inLang] && I18N[inLang].edit) || t("edit"));
    b.type = "button";
    b.setAttribute("data-text", command);
    b.addEventListener("click", function () { send({ text: b.getAttribute("data-text") }); });
    return b;
  }

  var OCC_LINE = /^(?:工种|occupation) (\d{1,3})[:：]\s*/;

  function paragraph(container, para, opts) {
    var lines = para.split("\n");
    var p = null, list = null, listKind = null;
    var summary = !!(opts && opts.summary);
    lines.forEach(function (line) {
      var m = LIST.exec(line);
      if (m && opts && opts.labels && opts.labels[line.slice(m[0].length).trim()]) return;  /* shown as a button */
      var occ = summary ? OCC_LINE.exec(line) : null;
      if (occ) {
        /* "工种 2: 电工 / …": one 修改 per occupation, editing that occupation (try28) */
        if (!list || listKind !== "occ") { list = el("ul", "occupations"); listKind = "occ"; container.appendChild(list); p = null; }
        var oli = el("li");
        inline(oli, line);
        oli.appendChild(document.createTextNode(" "));
        oli.appendChild(editButton(t("edit_occ", { n: occ[1] }, opts.lang), opts.lang));
        list.appendChild(oli);
        return;
      }
      if (summary && /^\s+\S/.test(line) && !/^\s+[-•·*]\s+/.test(line) && list && listKind === "ol" && list.lastElementChild) {
        /* a further line of a multi-line answer ("   2. 参与编写…"): part of its item, no 修改 of its own
           (try28: it got one, which edited question 2) */
        var item = list.lastElementChild, button = item.querySelector(":scope > .edit");
        var more = el("span", "more");
        more.appendChild(el("br"));
        inline(more, line.replace(/^\s+/, ""));
        item.insertBefore(more, button ? button.previousSibling : null);
        return;
      }
      var sub = /^\s+[-•·*]\s+/.exec(line);
      if (sub && list && listKind === "ol" && list.lastElementChild) {
        /* "7. 想做的事：" then "   - …" lines: a list inside item 7, the numbered list goes on (try27) */
        var owner = list.lastElementChild, inner = owner.lastElementChild;
        if (!inner || inner.tagName !== "UL") { inner = el("ul", "sub"); owner.appendChild(inner); }
        var subItem = el("li");
        inline(subItem, line.slice(sub[0].length));
        inner.appendChild(subItem);
        return;
      }
      if (m) {
        var kind = m[1] ? "ol" : "ul";
        if (!list || listKind !== kind) { list = el(kind); listKind = kind; container.appendChild(list); p = null; }
        var li = el("li");
        if (m[1] && kind === "ol") li.value = parseInt(m[1], 10);
        var rest = line.slice(m[0].length);
        inline(li, rest);
        if (summary && m[1] && !/^\s/.test(line)) {
          li.appendChild(document.createTextNode(" "));
          li.appendChild(editButton(t("edit_cmd", { n: m[1] }, opts.lang), opts.lang));
        }
        list.appendChild(li);
      } else {
        list = null;
        if (!p) { p = el("p"); container.appendChild(p); } else { p.appendChild(el("br")); }
        inline(p, line);
      }
    });
  }

  function clauseBlock(para, open) {
    var nl = para.indexOf("\n");
    var head = nl < 0 ? para : para.slice(0, nl);
    var body = nl < 0 ? "" : para.slice(nl + 1);
    var d = el("details", "clause");
    if (open) d.open = true;
    d.appendChild(el("summary", null, head));
    var q = el("blockquote");
    body.split("\n").forEach(function (line, i) { if (i) q.appendChild(el("br")); q.appendChild(document.createTextNode(line)); });
    d.appendChild(q);
    return d;
  }

  /* the check list (checklist.md) comes as Markdown: headings, tables, nested lists, [ ] boxes,
     **bold**, `code` — drawn with elements, never parsed as HTML */
  function mdInline(parent, text) {
    var re = /\*\*([^*]+)\*\*|`([^`]+)`/g, last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) inline(parent, text.slice(last, m.index));
      if (m[1] !== undefined) { var b = el("strong"); inline(b, m[1]); parent.appendChild(b); }
      else parent.appendChild(el("code", null, m[2]));
      last = m.index + m[0].length;
    }
    if (last < text.length) inline(parent, text.slice(last));
  }

  function renderMarkdown(container, text) {
    var lists = [], table = null, p = null;
    text.split("\n").forEach(function (line) {
      var h = /^(#{1,4})\s+(.*)$/.exec(line);
      if (h) {
        lists = []; table = null; p = null;
        var head = el("h" + (h[1].length + 2), "md-h");
        mdInline(head, h[2]);
        container.appendChild(head);
        return;
      }
      if (/^\s*\|/.test(line)) {
        lists = []; p = null;
        if (/^\s*\|[\s:|-]+\|\s*$/.test(line)) return;  /* |---|---| */
        var cells = line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|");
        var first = !table;
        if (first) {
          var wrap = el("div", "md-table");
          table = el("table");
          wrap.appendChild(table);
          container.appendChild(wrap);
        }
        var tr = el("tr", first ? "head" : null);
        if (first) table.labels = cells.map(function (c) { return c.trim(); });
        cells.forEach(function (c, i) {
          var cell = el(first ? "th" : "td");
          /* on a phone each row is a card of "label: value" lines (try27: the table was cut off) */
          if (!first) cell.setAttribute("data-label", (table.labels && table.labels[i]) || "");
          /* a code or a level list is one token: 6-31-01-03 and 5、4、3 are not broken (try28) */
          if (!first && c.trim().length <= 14) cell.className = "nobr";
          mdInline(cell, c.trim());
          tr.appendChild(cell);
        });
        table.appendChild(tr);
        return;
      }
      table = null;
      var li = /^(\s*)[-*]\s+(.*)$/.exec(line);
      if (li) {
        p = null;
        var indent = li[1].length;
        while (lists.length && lists[lists.length - 1].indent > indent) lists.pop();
        var top = lists[lists.length - 1];
        if (!top || top.indent < indent) {
          var ul = el("ul", "md-list");
          if (top && top.ul.lastElementChild) top.ul.lastElementChild.appendChild(ul); else container.appendChild(ul);
          top = { indent: indent, ul: ul };
          lists.push(top);
        }
        var item = el("li");
        var body = li[2];
        var box = /^\[( |x|X)\]\s+/.exec(body);
        if (box) {
          item.className = "task";
          item.appendChild(el("span", "box" + (box[1] === " " ? "" : " done")));
          body = body.slice(box[0].length);
        }
        mdInline(item, body);
        top.ul.appendChild(item);
        return;
      }
      lists = [];
      if (!line.trim()) { p = null; return; }
      if (!p) { p = el("p"); container.appendChild(p); } else { p.appendChild(el("br")); }
      mdInline(p, line);
    });
  }

  function renderText(container, reply) {
    if (/^# /.test(reply.text || "")) { renderMarkdown(container, reply.text); return; }
    var labels = {};
    (reply.buttons || []).forEach(function (b) { if (b.kind === "choice" || b.kind === "toggle") labels[b.label] = true; });
    var text = String(reply.text || "");
    if (reply.progress) text = text.replace(STEP_LINE, "");  /* the progress bar shows it */
    var paras = text.split(/\n{2,}/);
    var clauses = 0;
    var chips = (reply.buttons || []).some(function (b) { return b.kind === "topic"; });
    paras.forEach(function (para, i) {
      if (!para.trim()) return;
      if (chips && /^(您是不是想问：|Did you mean:)/.test(para.trim())) return;  /* the topic buttons below say it */
      if (CLAUSE.test(para)) {
        container.appendChild(clauseBlock(para, clauses === 0));
        clauses += 1;
      } else if (i === 0 && reply.verdict) {
        var box = el("div", "verdict v-" + reply.verdict);
        var p = el("p");
        var badge = t(reply.verdict);
        p.appendChild(el("span", "badge", badge));
        /* "不可以 不可以。本校…": the badge says it once */
        if (para.indexOf(badge) === 0 && /^[。．.，,：:；;!！]/.test(para.slice(badge.length))) {
          para = para.slice(badge.length + 1).replace(/^\s+/, "");
        }
        inline(p, para);
        box.appendChild(p);
        container.appendChild(box);
      } else {
        paragraph(container, para, { summary: reply.summary, labels: labels, lang: reply.lang });
      }
    });
  }

  /* ---------------------------------------------------------------- messages */

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  /* the conversation so far, kept for this tab (sessionStorage): a reload (phones do that when
     switching apps) shows it again, and the questionnaire goes on where it was */
  var KEY = "skillcert-conversation";
  var saved = { items: [], form: null };
  function persist() {
    if (saved.items.length > 100) saved.items.splice(0, saved.items.length - 100);
    try { sessionStorage.setItem(KEY, JSON.stringify(saved)); } catch (e) { /* storage full or blocked */ }
  }

  function addUser(text, restoring) {
    if (!restoring) { saved.items.push({ u: text }); persist(); }
    var m = el("section", "msg user");
    var b = el("div", "bubble");
    text.split("\n").forEach(function (line, i) { if (i) b.appendChild(el("br")); b.appendChild(document.createTextNode(line)); });
    m.appendChild(b);
    log.appendChild(m);
    scrollDown();
    return m;
  }

  /* a message the server refused (too fast, offline): it must not look sent (try28). It is marked
     "not sent" with a retry button, and dropped from the kept conversation. */
  function markFailed(m, payload, echo, file) {
    if (!m) return;
    m.classList.add("failed");
    if (saved.items.length && saved.items[saved.items.length - 1].u === echo) { saved.items.pop(); persist(); }
    var bar = el("div", "failed-bar");
    bar.appendChild(el("span", null, t("not_sent")));
    var retry = el("button", "retry", t("retry"));
    retry.type = "button";
    retry.addEventListener("click", function () {
      if (busy) return;
      m.remove();
      send(payload, echo, null, false, file);
    });
    bar.appendChild(retry);
    m.appendChild(bar);
  }

  function addNote(text, cls) {
    var m = el("section", "msg bot note " + (cls || ""));
    m.appendChild(el("div", "bubble", text));
    log.appendChild(m);
    scrollDown();
    return m;
  }

  function disableStale() {
    document.querySelectorAll(".msg .answer-buttons button").forEach(function (b) { b.disabled = true; });
    document.querySelectorAll(".msg .edit").forEach(function (b) { b.disabled = true; });
  }

  function thumb() {
    /* a thumbs-up drawn as SVG (phones have emoji fonts, many desktops and servers do not);
       path from Material Icons "thumb_up", Apache License 2.0 */
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 " +
      "7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z");
    svg.appendChild(path);
    return svg;
  }

  function buildReply(reply) {
    var bubble = el("div", "bubble");
    renderText(bubble, reply);
    var buttons = reply.buttons || [];
    var topics = buttons.filter(function (b) { return b.kind === "topic"; });
    var answers = buttons.filter(function (b) { return b.kind !== "topic"; });
    if (topics.length) {
      var chips = el("div", "chips");
      topics.forEach(function (b) {
        var c = el("button", "chip", b.label);
        c.type = "button";
        c.addEventListener("click", function () { send({ button: b.data }, b.label); });
        chips.appendChild(c);
      });
      bubble.appendChild(chips);
    }
    if (answers.length) {
      var box = el("div", "answer-buttons" + (answers.some(function (b) { return b.kind === "toggle"; }) ? " multi" : ""));
      answers.forEach(function (b) {
        var cls = b.kind === "toggle" ? "opt toggle" + (b.selected ? " on" : "") :
          (b.kind === "done" || b.kind === "confirm") ? "primary" : "opt";
        var btn = el("button", cls);
        btn.type = "button";
        if (b.kind === "toggle") {
          btn.setAttribute("aria-pressed", b.selected ? "true" : "false");
          btn.appendChild(el("span", "tick", b.selected ? "✓" : ""));
        }
        btn.appendChild(el("span", "label", b.label));
        btn.addEventListener("click", function () {
          if (b.kind === "toggle") send({ button: b.data }, null, bubble.parentNode);
          else { btn.classList.add("picked"); send({ button: b.data }, b.label); }
        });
        box.appendChild(btn);
      });
      bubble.appendChild(box);
    }
    if (reply.files && reply.files.length) {
      var fl = el("div", "files");
      fl.appendChild(el("p", "files-title", t("files")));
      reply.files.forEach(function (f) {
        var a = el("a", "file");
        a.href = f.url;
        a.setAttribute("download", f.name);
        a.appendChild(el("span", "ficon", /\.xlsx$/.test(f.name) ? "XLS" : /\.docx$/.test(f.name) ? "DOC" : "MD"));
        a.appendChild(el("span", "fname", f.name));
        fl.appendChild(a);
      });
      bubble.appendChild(fl);
    }
    if (reply.feedback && reply.feedback.length) {
      var fb = el("div", "feedback");
      fb.appendChild(el("span", "rate", t("rate")));
      reply.feedback.forEach(function (b) {
        var up = b.data.charAt(2) === "+";
        var btn = el("button", "fb" + (up ? " up" : " down"));
        btn.type = "button";
        btn.setAttribute("data-data", b.data);
        btn.appendChild(thumb());
        btn.appendChild(el("span", null, t(up ? "useful" : "not_useful")));
        btn.addEventListener("click", function () {
          fb.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
          btn.classList.add("chosen");
          var owner = btn.closest(".msg");
          if (owner && owner._entry) { owner._entry.fb = b.data; persist(); }
          send({ button: b.data }, null, null, true);
        });
        fb.appendChild(btn);
      });
      bubble.appendChild(fb);
    }
    return bubble;
  }

  function addReply(reply, replace, restoring) {
    if (replace) {
      var old = replace.querySelector(".bubble");
      replace.replaceChild(buildReply(reply), old);
      if (replace._entry) { replace._entry.r = reply; persist(); }
      return replace;
    }
    var m = el("section", "msg bot");
    m.appendChild(buildReply(reply));
    log.appendChild(m);
    m._entry = restoring || { r: reply };
    if (!restoring) { saved.items.push(m._entry); persist(); }
    return m;
  }

  function restore() {
    var data = null;
    try { data = JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { data = null; }
    if (!data || !data.items || !data.items.length) return;
    saved = data;
    saved.items.forEach(function (item) {
      if (typeof item.u === "string") { addUser(item.u, true); return; }
      if (!item.r) return;
      var m = addReply(item.r, null, item);
      if (item.fb) {
        m.querySelectorAll(".feedback button").forEach(function (b) {
          b.disabled = true;
          if (b.getAttribute("data-data") === item.fb) b.classList.add("chosen");
        });
      }
    });
    disableStale();
    var last = log.lastElementChild;
    if (saved.form && saved.form.active && last && last.classList.contains("bot")) {
      last.querySelectorAll(".answer-buttons button, .edit").forEach(function (b) { b.disabled = false; });
    }
    updateForm(saved.form, saved.form && saved.form.progress ? [{ progress: saved.form.progress }] : []);
    scrollDown();
  }

  function updateForm(state, replies) {
    var progress = null;
    replies.forEach(function (r) { if (r.progress) progress = r.progress; });
    var active = !!(state && state.active);
    if (!progress && active && saved.form) progress = saved.form.progress;
    saved.form = { active: active, progress: active ? progress : null };
    persist();
    formbar.hidden = !active;
    if (active && progress) {
      document.getElementById("progress-label").textContent = t("step", { n: progress.step, t: progress.total }, progress.lang);
      var pct = Math.max(3, Math.min(100, Math.round(100 * progress.step / Math.max(progress.total, 1))));
      document.getElementById("progress-fill").style.width = pct + "%";
    }
  }

  /* ---------------------------------------------------------------- talking to the server */

  function send(payload, echo, replaceMsg, quiet, file) {
    if (busy) return;
    busy = true;
    sendBtn.disabled = true;
    var mine = echo ? addUser(echo) : null;
    var waiting = quiet || replaceMsg ? null : addNote(t("thinking"), "thinking");
    payload.lang = lang;
    var request = file ?
      fetch(BASE + "/api/upload?lang=" + lang, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/octet-stream", "X-Filename": encodeURIComponent(file.name) },
        body: file
      }) :
      fetch(BASE + "/api/message", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(payload)
      });
    request.then(function (res) {
      return res.json().then(function (data) { return { status: res.status, data: data }; },
        function () { return { status: res.status, data: {} }; });
    }).then(function (r) {
      if (waiting) waiting.remove();
      if (r.status !== 200) {
        addNote(r.data.error || t("offline"), "error");
        if (r.status === 429 || r.status >= 500) markFailed(mine, payload, echo, file);
        return;
      }
      var replies = r.data.replies || [];
      var prompts = replies.some(function (x) {
        return (x.buttons || []).some(function (b) { return b.kind !== "topic"; }) || x.progress;
      });
      if (prompts && !replaceMsg) disableStale();
      replies.forEach(function (reply, i) {
        if (quiet && !reply.buttons.length && !reply.files.length) { addNote(reply.text, "thanks"); return; }
        addReply(reply, i === 0 && replaceMsg ? replaceMsg : null);
      });
      updateForm(r.data.form, replies);
      if (!replaceMsg) scrollDown();
    }).catch(function () {
      if (waiting) waiting.remove();
      addNote(t("offline"), "error");
      markFailed(mine, payload, echo, file);
    }).then(function () {
      busy = false;
      sendBtn.disabled = false;
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value;
    if (!text.trim() || busy) return;
    if (tooLong()) { input.focus(); return; }  // try30: kept in the box and said, never cut
    input.value = "";
    autosize();
    send({ text: text }, text);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); form.requestSubmit ? form.requestSubmit() : sendBtn.click(); }
  });
  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 140) + "px";
    input.style.overflowY = input.scrollHeight > 140 ? "auto" : "hidden";
  }
  input.addEventListener("input", autosize);
  // try30: no maxlength (it cut a long paste silently); over the server's limit the page says so and sends nothing
  var MAX = parseInt(input.getAttribute("data-max"), 10) || 4000;
  var tooLongNote = document.getElementById("toolong");
  function tooLong() {
    var n = Array.from(input.value).length;  // characters as the server counts them
    var over = n > MAX;
    tooLongNote.hidden = !over;
    if (over) tooLongNote.textContent = t("too_long", { n: n, max: MAX });
    input.setAttribute("aria-invalid", over ? "true" : "false");
    return over;
  }
  input.addEventListener("input", tooLong);

  document.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("[data-send],[data-send-i18n]") : null;
    if (!b) return;
    var text = b.hasAttribute("data-send") ? b.getAttribute("data-send") : t(b.getAttribute("data-send-i18n"));
    closeMenu();
    if (text === "/upload") { fileInput.click(); return; }  /* the file picker, then the file goes up */
    send({ text: text }, b.hasAttribute("data-send") ? b.textContent : text);
  });

  var fileInput = document.getElementById("file");
  fileInput.addEventListener("change", function () {
    var f = fileInput.files && fileInput.files[0];
    if (f) send({}, t("file_sent") + f.name, null, false, f);
    fileInput.value = "";
  });

  var menu = document.getElementById("menu");
  var menuBtn = document.getElementById("btn-menu");
  function closeMenu() { menu.hidden = true; menuBtn.setAttribute("aria-expanded", "false"); }
  menuBtn.addEventListener("click", function (ev) {
    ev.stopPropagation();
    menu.hidden = !menu.hidden;
    menuBtn.setAttribute("aria-expanded", menu.hidden ? "false" : "true");
  });
  document.addEventListener("click", function (ev) { if (!menu.hidden && !menu.contains(ev.target)) closeMenu(); });

  document.getElementById("btn-contacts").addEventListener("click", function () { send({ text: "/contact" }, t("contacts")); });
  document.getElementById("btn-lang").addEventListener("click", function () {
    lang = lang === "zh" ? "en" : "zh";
    try { localStorage.setItem("skillcert-lang", lang); } catch (e) { /* storage blocked */ }
    applyLang();
  });

  var confirmBox = document.getElementById("confirm-clear");
  document.getElementById("btn-clear").addEventListener("click", function (ev) {
    ev.stopPropagation();
    closeMenu();
    confirmBox.hidden = false;
  });
  document.getElementById("clear-no").addEventListener("click", function () { confirmBox.hidden = true; });
  document.getElementById("clear-yes").addEventListener("click", function () {
    confirmBox.hidden = true;
    Array.prototype.slice.call(log.children).forEach(function (c) { if (c.id !== "welcome") c.remove(); });
    saved = { items: [], form: null };
    persist();
    send({ text: "/forget" }, null);
  });

  applyLang();
  restore();
})();
