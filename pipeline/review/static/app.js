// partnerflow review: row selection, evidence highlighting (in the text and as boxes on the page
// images), dialogs and keyboard shortcuts.
// Document text only ever goes through textContent / text nodes, never innerHTML.
(() => {
  "use strict";
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const REVIEWER_KEY = "partnerflow.reviewer";

  // --- reviewer name: remembered in localStorage (the server also keeps a cookie) -------------
  const reviewer = $("#reviewer");
  if (reviewer) {
    const stored = localStorage.getItem(REVIEWER_KEY);
    if (!reviewer.value && stored) reviewer.value = stored;
    reviewer.addEventListener("change", () => localStorage.setItem(REVIEWER_KEY, reviewer.value.trim()));
  }
  document.addEventListener("submit", (event) => {
    const name = reviewer ? reviewer.value.trim() : "";
    if (!name) {
      event.preventDefault();
      const dialog = event.target.closest("dialog");
      if (dialog) dialog.close();
      reviewer.classList.add("missing");
      reviewer.focus();
      return;
    }
    localStorage.setItem(REVIEWER_KEY, name);
    for (const field of $$("input.reviewer-field", event.target)) field.value = name;
  }, true);

  // Scroll inside a pane only: scrollIntoView would also scroll the window and hide the header.
  function scrollWithin(element, centre) {
    const pane = element.closest(".source, .facts");
    if (!pane) return;
    const box = pane.getBoundingClientRect();
    const rect = element.getBoundingClientRect();
    if (centre) {
      pane.scrollTop += rect.top - box.top - (box.height - rect.height) / 2;
    } else if (rect.top < box.top + 40) {
      pane.scrollTop -= box.top + 40 - rect.top;
    } else if (rect.bottom > box.bottom) {
      pane.scrollTop += rect.bottom - box.bottom;
    }
  }

  // --- evidence highlighting ---------------------------------------------------------------
  const pages = $$("pre.page-text");
  const originals = new Map(pages.map((pre) => [pre, pre.textContent]));
  function clearMarks() {
    for (const pre of pages) {
      if (pre.dataset.marked) {
        pre.textContent = originals.get(pre);
        delete pre.dataset.marked;
      }
    }
  }
  function highlight(start, end, scroll = true) {
    clearMarks();
    if (!(end > start)) return;
    let first = null;
    for (const pre of pages) {
      const pageStart = Number(pre.dataset.start);
      const from = Math.max(start, pageStart);
      const to = Math.min(end, Number(pre.dataset.end));
      if (to <= from) continue;
      const text = originals.get(pre);
      const a = from - pageStart;
      const b = to - pageStart;
      const mark = document.createElement("mark");
      mark.textContent = text.slice(a, b);
      pre.textContent = "";
      pre.append(document.createTextNode(text.slice(0, a)), mark, document.createTextNode(text.slice(b)));
      pre.dataset.marked = "1";
      first = first || mark;
    }
    // Text inside a closed "Extracted text" (PDFs show their pages) is not on screen: no scrolling to it.
    if (first && scroll && first.getClientRects().length) scrollWithin(first, true);
  }

  // --- evidence boxes on the page images -----------------------------------------------------
  const boxes = $$("rect.box");
  function markBoxes(row, name) {
    let first = null;
    for (const box of boxes) {
      const on = row !== null && box.dataset.row === row.id;
      box.classList.toggle(name, on);
      if (on && !first) first = box;
    }
    return first;
  }

  // --- rows --------------------------------------------------------------------------------
  const rows = $$("tr.row");
  let selected = -1;
  const spanOf = (row) => [Number(row.dataset.start), Number(row.dataset.end)];
  function select(index, fromBox = false) {
    if (!rows.length) return;
    selected = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row) => row.classList.remove("selected"));
    const row = rows[selected];
    row.classList.add("selected");
    scrollWithin(row, fromBox);
    highlight(...spanOf(row), !fromBox);
    const box = markBoxes(row, "selected");
    if (box && !fromBox) scrollWithin(box, true);
    history.replaceState(null, "", "#" + row.id);
  }
  for (const box of boxes) {
    box.addEventListener("click", () => {
      if (justDragged) return;
      const index = rows.findIndex((row) => row.id === box.dataset.row);
      if (index >= 0) select(index, true);
    });
    box.addEventListener("mouseenter", () => {
      const row = document.getElementById(box.dataset.row);
      if (row) row.classList.add("hover");
    });
    box.addEventListener("mouseleave", () => $$("tr.row.hover").forEach((row) => row.classList.remove("hover")));
  }
  rows.forEach((row, index) => {
    row.addEventListener("mouseenter", () => {
      highlight(...spanOf(row), !boxes.length);
      markBoxes(row, "hover");
    });
    row.addEventListener("mouseleave", () => {
      markBoxes(null, "hover");
      if (selected >= 0) highlight(...spanOf(rows[selected]), !boxes.length);
      else clearMarks();
    });
    row.addEventListener("click", (event) => {
      if (event.target.closest("button, form, a, input, select")) return;
      select(index);
    });
    row.addEventListener("dblclick", (event) => {
      const cell = event.target.closest("td[data-field]");
      openEdit(row, cell ? cell.dataset.field : null);
    });
    $(".edit", row).addEventListener("click", () => {
      select(index);
      openEdit(row, null);
    });
  });
  function selectFromHash() {
    const index = rows.findIndex((row) => "#" + row.id === location.hash);
    if (index >= 0) select(index);
  }
  if (location.hash) selectFromHash();
  // The low-confidence list at the top links to its rows.
  $$("a.low-link").forEach((link) => link.addEventListener("click", (event) => {
    event.preventDefault();
    history.replaceState(null, "", link.getAttribute("href"));
    selectFromHash();
  }));

  // --- delete: a second press confirms ------------------------------------------------------
  function armDelete(button) {
    if (button.classList.contains("armed")) return true;
    $$("button.delete.armed").forEach((b) => { b.classList.remove("armed"); b.textContent = "Delete"; });
    button.classList.add("armed");
    button.textContent = "Confirm delete";
    button.focus();
    return false;
  }
  $$("button.delete").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (!armDelete(button)) event.preventDefault();
    });
  });

  // --- edit dialog -------------------------------------------------------------------------
  const editDialog = $("#edit-dialog");
  function openEdit(source, field) {
    if (!editDialog) return;
    const values = JSON.parse(source.dataset.values);
    const form = $("#edit-form");
    form.elements.table.value = source.dataset.table;
    form.elements.row_id.value = source.dataset.rowId;
    const select = $("#edit-field");
    const input = $("#edit-value");
    select.textContent = "";
    for (const name of Object.keys(values)) {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      select.append(option);
    }
    if (field && field in values) select.value = field;
    const fill = () => {
      const value = values[select.value];
      input.value = value === null ? "" : String(value);
      form.elements.before.value = JSON.stringify(value);
      $("#edit-before").textContent = value === null ? "(none)" : String(value);
      const list = "vocab-" + source.dataset.table + "-" + select.value;
      if (document.getElementById(list)) input.setAttribute("list", list);
      else input.removeAttribute("list");
    };
    select.onchange = () => { fill(); input.focus(); };
    fill();
    $("#edit-title").textContent = "Edit " + source.dataset.table + " " + source.dataset.rowId;
    editDialog.showModal();
    input.focus();
    input.select();
  }
  const docHead = $("#doc-head");
  const editDoc = $(".edit-doc");
  if (editDoc && docHead) editDoc.addEventListener("click", () => openEdit(docHead, "title"));
  $$(".close-dialog").forEach((b) => b.addEventListener("click", () => b.closest("dialog").close()));

  // --- accept ------------------------------------------------------------------------------
  const acceptDialog = $("#accept-dialog");
  function openAccept() {
    if (!acceptDialog) return;
    acceptDialog.showModal();
    $("#accept-confirm").focus();
  }
  const acceptOpen = $("#accept-open");
  if (acceptOpen) acceptOpen.addEventListener("click", openAccept);

  // --- add: evidence from the text selection -----------------------------------------------
  let lastSelection = null;
  document.addEventListener("mouseup", () => {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    const node = range.commonAncestorContainer;
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const pre = element && element.closest("pre.page-text");
    if (!pre) return;
    const before = document.createRange();
    before.setStart(pre, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const start = Number(pre.dataset.start) + before.toString().length;
    const text = range.toString();
    useEvidence({ start, end: start + text.length, text, page: pre.dataset.page });
  });
  function useEvidence(found) {
    lastSelection = found;
    const text = found.text;
    for (const form of $$("form.add-form")) {
      form.elements.char_start.value = String(found.start);
      form.elements.char_end.value = String(found.end);
      form.elements.page.value = found.page || "";
      const shown = text.length > 80 ? text.slice(0, 80) + "…" : text;
      $(".selection", form).textContent = `Evidence: chars ${found.start}–${found.end}: “${shown}”`;
    }
  }

  // --- add: evidence dragged over on a page image --------------------------------------------
  // The page's words (offsets into the text and boxes in points) are fetched on the first drag.
  const SVG_NS = "http://www.w3.org/2000/svg";
  const pageWords = new Map();
  function wordsOf(figure) {
    const url = figure.dataset.words;
    if (!pageWords.has(url)) {
      pageWords.set(url, fetch(url, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : null))
        .catch(() => null));
    }
    return pageWords.get(url);
  }
  function textOf(start, end) {
    for (const pre of pages) {
      const from = Number(pre.dataset.start);
      if (from <= start && end <= Number(pre.dataset.end)) return originals.get(pre).slice(start - from, end - from);
    }
    return "";
  }
  function pointIn(svg, event) {
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }
  let drag = null;
  let justDragged = false;
  for (const svg of $$("svg.boxes")) {
    svg.addEventListener("mousedown", (event) => {
      if (event.button !== 0) return;
      event.preventDefault(); // no native image drag, no text selection
      const at = pointIn(svg, event);
      drag = { svg, x: at.x, y: at.y, rect: null };
      justDragged = false;
    });
  }
  document.addEventListener("mousemove", (event) => {
    if (!drag) return;
    const at = pointIn(drag.svg, event);
    if (!drag.rect) {
      if (Math.abs(at.x - drag.x) + Math.abs(at.y - drag.y) < 3) return; // still a click
      $$("rect.drag").forEach((old) => old.remove());
      drag.rect = document.createElementNS(SVG_NS, "rect");
      drag.rect.setAttribute("class", "drag");
      drag.svg.append(drag.rect);
    }
    drag.rect.setAttribute("x", String(Math.min(at.x, drag.x)));
    drag.rect.setAttribute("y", String(Math.min(at.y, drag.y)));
    drag.rect.setAttribute("width", String(Math.abs(at.x - drag.x)));
    drag.rect.setAttribute("height", String(Math.abs(at.y - drag.y)));
  });
  document.addEventListener("mouseup", async () => {
    if (!drag) return;
    const { svg, rect } = drag;
    drag = null;
    if (!rect) return;
    justDragged = true; // the click this mouseup makes is no click on a box
    const x0 = Number(rect.getAttribute("x"));
    const top = Number(rect.getAttribute("y"));
    const x1 = x0 + Number(rect.getAttribute("width"));
    const bottom = top + Number(rect.getAttribute("height"));
    const figure = svg.closest("figure.page-view");
    const words = await wordsOf(figure);
    const inside = (words || []).filter((w) => w[2] < x1 && w[4] > x0 && w[3] < bottom && w[5] > top);
    if (!inside.length) {
      rect.remove();
      return;
    }
    // The selection snaps to the words it touches, as the row's box will.
    rect.setAttribute("x", String(Math.min(...inside.map((w) => w[2]))));
    rect.setAttribute("y", String(Math.min(...inside.map((w) => w[3]))));
    rect.setAttribute("width", String(Math.max(...inside.map((w) => w[4])) - Number(rect.getAttribute("x"))));
    rect.setAttribute("height", String(Math.max(...inside.map((w) => w[5])) - Number(rect.getAttribute("y"))));
    const start = Math.min(...inside.map((w) => w[0]));
    const end = Math.max(...inside.map((w) => w[1]));
    useEvidence({ start, end, text: textOf(start, end), page: figure.dataset.page });
  });
  const primaryField = { partners: "name", contacts: "name", dates: "text", targets: "text", events: "name", websites: "url" };
  $$("form.add-form").forEach((form) => {
    $(".use-selection", form).addEventListener("click", () => {
      if (!lastSelection) return;
      const table = form.elements.table.value;
      const field = form.elements["f_" + primaryField[table]];
      if (field) field.value = lastSelection.text.trim().replace(/\s+/g, " ");
    });
  });

  // --- help and keys -----------------------------------------------------------------------
  const help = $("#help");
  const toggleHelp = (show) => { help.hidden = show === undefined ? !help.hidden : !show; };
  $("#help-button").addEventListener("click", () => toggleHelp());
  help.addEventListener("click", (event) => { if (event.target === help) toggleHelp(false); });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      toggleHelp(false);
      $$("button.delete.armed").forEach((b) => { b.classList.remove("armed"); b.textContent = "Delete"; });
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, dialog[open]")) return;
    const go = (href) => { if (href) location.href = href; };
    switch (event.key) {
      case "j": select(selected + 1); break;
      case "k": select(selected < 0 ? 0 : selected - 1); break;
      case "e":
        if (selected >= 0) openEdit(rows[selected], null);
        else if (docHead) openEdit(docHead, "title");
        break;
      case "d":
        if (selected >= 0) armDelete($("button.delete", rows[selected]));
        break;
      case "n": {
        const first = $("details.add");
        if (first) {
          first.open = true;
          const input = $("input:not([type=hidden]), select", first);
          if (input) input.focus();
        }
        break;
      }
      case "a": openAccept(); break;
      case "[": go($("#prev-doc") && $("#prev-doc").href); break;
      case "]": go($("#next-doc") && $("#next-doc").href); break;
      case "q": go("/"); break;
      case "?": toggleHelp(); break;
      default: return;
    }
    event.preventDefault();
  });
})();
