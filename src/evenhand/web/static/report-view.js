// Shows a Report: the summary (selectable sentences, each with the outlets that carry it), the
// outlets side by side, the contested claims, the loaded terms, the notes of evenhand's own checks
// and one pane per source with its loaded terms and the passages being looked at highlighted.

import { append, clear, el, excerpt } from "./dom.js";
import { FOUND_BY, KIND_LABEL, STANCE_WORD, noAlternative, plural } from "./labels.js";
import { carryLine, renderLoadedList, renderOutletPanels } from "./outlets-view.js";
import { attachTip, resetTips } from "./tooltip.js";

export class ReportView {
  constructor(root) {
    this.root = root;
    this.summaryList = root.querySelector("#summary");
    this.selectionStatus = root.querySelector("#selection-status");
    this.claimsBody = root.querySelector("#claims tbody");
    this.claimsTable = root.querySelector("#claims");
    this.claimsEmpty = root.querySelector("#claims-empty");
    this.findingsList = root.querySelector("#findings");
    this.outletsBox = root.querySelector("#outlets");
    this.loadedBody = root.querySelector("#loaded tbody");
    this.loadedTable = root.querySelector("#loaded");
    this.loadedEmpty = root.querySelector("#loaded-empty");
    this.panesBox = root.querySelector("#panes");
    this.meta = root.querySelector("#report-meta");
    this.report = null;
    this.selected = null; // index of the selected summary sentence
    this.highlights = []; // [{article_id, start, end, kind}]
  }

  nameOf(articleId) {
    const article = this.report && this.report.articles.find((a) => a.id === articleId);
    return article ? article.outlet || article.id : articleId;
  }

  show(report) {
    this.report = report;
    this.selected = null;
    this.highlights = [];
    this.renderMeta();
    this.renderSummary();
    this.renderClaims();
    this.renderFindings();
    this.renderPanes();
    const show = (span, label) => this.showSpan(span, label);
    renderOutletPanels(this.outletsBox, this.report, (id) => this.nameOf(id), show);
    renderLoadedList(this.loadedBody, this.report, (id) => this.nameOf(id), show);
    this.loadedEmpty.hidden = this.report.loaded_language.length > 0;
    this.loadedTable.hidden = this.report.loaded_language.length === 0;
    this.selectionStatus.textContent = "";
  }

  renderMeta() {
    const r = this.report;
    const p = r.provenance;
    const parts = [
      `${r.articles.length} source${r.articles.length === 1 ? "" : "s"}`,
      `${p.engine} engine${p.model ? ` (${p.model})` : ""}`,
      `${Math.round(p.duration_ms)} ms`,
      `${plural(r.findings.length, "note")} on the summary`,
    ];
    this.meta.textContent = parts.join(" · ");
  }

  // --- summary ------------------------------------------------------------------------------

  renderSummary() {
    clear(this.summaryList);
    this.report.summary.forEach((sentence, index) => {
      const button = el(
        "button",
        {
          type: "button",
          class: `sentence${sentence.support.length ? "" : " unsupported"}`,
          "aria-pressed": "false",
          dataset: { index: String(index) },
          onclick: () => this.select(index),
        },
        sentence.text,
      );
      const backing = carryLine(this.report, sentence, (id) => this.nameOf(id));
      this.summaryList.append(el("li", {}, button, backing));
    });
  }

  select(index) {
    const again = this.selected === index;
    this.selected = again ? null : index;
    for (const button of this.summaryList.querySelectorAll("button.sentence")) {
      button.setAttribute("aria-pressed", String(Number(button.dataset.index) === this.selected));
    }
    if (this.selected === null) {
      this.highlight([]);
      this.selectionStatus.textContent = "No sentence selected.";
      return;
    }
    const sentence = this.report.summary[index];
    this.highlight(sentence.support.map((s) => ({ ...s, kind: "support" })));
    this.selectionStatus.textContent = this.describeSupport(index, sentence.support);
  }

  describeSupport(index, spans) {
    if (!spans.length) return `Sentence ${index + 1} has no supporting passage in any source.`;
    const counts = new Map();
    for (const span of spans) counts.set(this.nameOf(span.article_id), (counts.get(this.nameOf(span.article_id)) || 0) + 1);
    const parts = [...counts].map(([name, n]) => `${n} passage${n === 1 ? "" : "s"} in ${name}`);
    return `Sentence ${index + 1} is supported by ${parts.join(" and ")}, highlighted in the sources.`;
  }

  // --- contested claims -----------------------------------------------------------------------

  renderClaims() {
    clear(this.claimsBody);
    const claims = this.report.contested_claims;
    this.claimsEmpty.hidden = claims.length > 0;
    this.claimsTable.hidden = claims.length === 0;
    claims.forEach((claim, index) => {
      const outlets = claim.positions.map((p) => `${this.nameOf(p.article_id)} ${STANCE_WORD[p.stance] || p.stance}`);
      const claimCell = el(
        "td",
        {},
        el("span", { class: `kind kind-${claim.kind}` }, KIND_LABEL[claim.kind] || claim.kind),
        el("span", { class: "confidence", title: "A heuristic score from how many outlets carry the claim and whether both sides were found" }, `confidence ${claim.confidence.toFixed(2)}`),
        el("p", { class: "claim-text" }, claim.claim),
        el("p", { class: "note" }, claim.note),
        outlets.length ? el("p", { class: "note outlets" }, `Outlets: ${outlets.join(" · ")}.`) : null,
      );
      const evidence = el("ul", { class: "evidence" });
      const button = (span, label, stance) =>
        evidence.append(
          el("li", {},
            el("button", {
              type: "button",
              class: `evidence-link stance-${stance}`,
              title: "Show this passage in its source",
              onclick: () => this.showEvidence(index, span),
            },
            el("span", { class: "who" }, `${label}: `),
            `“${excerpt(span.text, 110)}”`)),
        );
      const shown = new Set();
      for (const actor of claim.actors) {
        for (const span of actor.evidence) {
          shown.add(`${span.article_id}:${span.start}:${span.end}`);
          const label = actor.kind === "outlet" ? `${actor.actor}, own voice` : `${actor.actor} (${this.nameOf(span.article_id)})`;
          button(span, label, actor.stance);
        }
      }
      for (const position of claim.positions) {
        for (const span of position.evidence) {
          if (shown.has(`${span.article_id}:${span.start}:${span.end}`)) continue;
          button(span, `${this.nameOf(span.article_id)} ${STANCE_WORD[position.stance] || position.stance}`, position.stance);
        }
      }
      if (!evidence.children.length) evidence.append(el("li", { class: "none" }, "No evidence located"));
      this.claimsBody.append(el("tr", {}, claimCell, el("td", {}, this.actorList(claim, "asserts")), el("td", {}, this.actorList(claim, "disputes")), el("td", {}, evidence)));
    });
  }

  // Actors on one side of a claim: name, kind, and a badge for each outlet that reports them.
  actorList(claim, stance) {
    const actors = claim.actors.filter((a) => a.stance === stance);
    if (!actors.length) return el("span", { class: "none" }, "—");
    return el("ul", { class: "names" }, actors.map((actor) =>
      el("li", { class: "actor" },
        el("span", { class: "actor-name" }, actor.actor),
        " ",
        el("span", { class: "actor-kind" }, actor.kind === "outlet" ? "outlet, own voice" : actor.kind),
        el("span", { class: "outlet-badges", "aria-label": `reported by ${actor.reported_by.map((id) => this.nameOf(id)).join(", ")}` },
          actor.reported_by.map((id) => el("span", { class: "outlet-badge" }, this.nameOf(id)))),
      )));
  }

  showEvidence(index, span) {
    this.showSpan(span, `evidence for contested claim ${index + 1}`);
  }

  /** Highlight one passage in its source pane, scrolled into view and focused. */
  showSpan(span, label) {
    this.selected = null;
    for (const button of this.summaryList.querySelectorAll("button.sentence")) button.setAttribute("aria-pressed", "false");
    this.highlight([{ ...span, kind: "evidence" }], { focus: true });
    this.selectionStatus.textContent = `Showing ${label} in ${this.nameOf(span.article_id)}.`;
  }

  // --- findings -------------------------------------------------------------------------------

  renderFindings() {
    renderFindingList(this.findingsList, this.report.findings, (finding) => this.locate(finding), null, REPORT_NOTES);
  }

  locate(finding) {
    const loc = finding.location;
    if (!loc) return null;
    if (loc.target === "summary" && loc.index !== null && loc.index < this.report.summary.length) {
      return { label: `Summary sentence ${loc.index + 1}`, action: () => { if (this.selected !== loc.index) this.select(loc.index); this.summaryList.querySelectorAll("button.sentence")[loc.index].focus(); } };
    }
    if (loc.target === "contested_claims" && loc.index !== null) return { label: `Contested claim ${loc.index + 1}` };
    if (loc.target === "loaded_language" && loc.index !== null) {
      const term = this.report.loaded_language[loc.index];
      if (term) return { label: `“${term.span.text}” in ${this.nameOf(term.span.article_id)}`, action: () => this.highlight([{ ...term.span, kind: "evidence" }], { focus: true }) };
    }
    if (loc.article_id) return { label: this.nameOf(loc.article_id) };
    return null;
  }

  // --- source panes ---------------------------------------------------------------------------

  renderPanes() {
    resetTips();
    clear(this.panesBox);
    this.paneTexts = new Map();
    for (const article of this.report.articles) {
      const headingId = `pane-heading-${article.id}`;
      const text = el("div", { class: "pane-text", tabindex: "0", role: "region", "aria-labelledby": headingId });
      this.paneTexts.set(article.id, text);
      const heading = el("h4", { id: headingId }, article.outlet || article.id);
      const sub = [article.outlet ? article.id : null, article.title].filter(Boolean).join(" · ");
      this.panesBox.append(
        el("article", { class: "pane", dataset: { articleId: article.id } },
          heading,
          sub ? el("p", { class: "pane-sub" }, sub) : null,
          text),
      );
      this.fillPane(article);
    }
  }

  highlight(spans, { focus = false } = {}) {
    this.highlights = spans;
    resetTips();
    for (const article of this.report.articles) this.fillPane(article);
    const seen = new Set();
    for (const span of spans) {
      if (seen.has(span.article_id)) continue;
      seen.add(span.article_id);
      const text = this.paneTexts.get(span.article_id);
      const first = text && text.querySelector(".hl");
      if (!first) continue;
      text.scrollTop = Math.max(0, first.offsetTop - text.clientHeight / 4);
      if (focus) {
        first.setAttribute("tabindex", "-1");
        text.closest(".pane").scrollIntoView({ block: "nearest" });
        first.focus({ preventScroll: true });
      }
    }
  }

  fillPane(article) {
    const box = this.paneTexts.get(article.id);
    const terms = this.report.loaded_language
      .filter((t) => t.span.article_id === article.id)
      .sort((a, b) => a.span.start - b.span.start)
      .filter((t, i, all) => i === 0 || t.span.start >= all[i - 1].span.end); // never nest terms
    const marks = this.highlights.filter((h) => h.article_id === article.id);
    clear(box);
    append(box, segments(article.text, terms, marks));
  }
}

/** The text as nodes: loaded terms as focusable marks, highlighted passages as spans. */
function segments(text, terms, marks) {
  const points = new Set([0, text.length]);
  for (const t of terms) { points.add(t.span.start); points.add(t.span.end); }
  for (const m of marks) { points.add(Math.max(0, m.start)); points.add(Math.min(text.length, m.end)); }
  const cuts = [...points].sort((a, b) => a - b);
  const nodes = [];
  let termIndex = 0;
  let openTerm = null;
  let openMark = null;
  for (let i = 0; i + 1 < cuts.length; i += 1) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    if (a === b) continue;
    while (termIndex < terms.length && terms[termIndex].span.end <= a) termIndex += 1;
    const term = termIndex < terms.length && terms[termIndex].span.start <= a ? terms[termIndex] : null;
    const kinds = [...new Set(marks.filter((m) => m.start <= a && b <= m.end).map((m) => m.kind))];
    const piece = kinds.length ? el("span", { class: `hl ${kinds.join(" ")}` }, text.slice(a, b)) : document.createTextNode(text.slice(a, b));
    if (!term) {
      openTerm = null;
      nodes.push(piece);
      continue;
    }
    if (term !== openTerm) {
      openTerm = term;
      openMark = termMark(term);
      nodes.push(openMark);
    }
    openMark.append(piece);
  }
  return nodes;
}

function alternativeLine(term) {
  return term.neutral_alternative ? `Neutral alternative: “${term.neutral_alternative}”` : noAlternative(term);
}

function termMark(term) {
  const voice = term.in_quote ? "quoted" : "own";
  const confidence = term.confidence.toFixed(2);
  const mark = el("mark", { class: `loaded ${voice}`, tabindex: "0", dataset: { category: term.category, confidence, origin: term.origin } });
  const category = term.category.charAt(0).toUpperCase() + term.category.slice(1);
  attachTip(mark, [
    `${category} · ${term.in_quote ? "inside quoted speech" : "in the outlet's own voice"}`,
    `Confidence ${confidence} · found by ${FOUND_BY[term.origin] || term.origin}`,
    alternativeLine(term),
    term.explanation,
  ]);
  return mark;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };

// The report's own findings are notes on the summary evenhand wrote, not edits for the reader;
// a draft's findings are what its writer may want to change.
const REPORT_NOTES = { none: "No notes: every check of the summary passed.", suggestion: "If you reuse the summary" };
const DRAFT_FINDINGS = { none: "No findings: the checks passed.", suggestion: "Suggestion" };

/** A list of findings, worst first; `locate(finding)` may give {label, action} for each. */
export function renderFindingList(list, findings, locate, idPrefix = null, words = DRAFT_FINDINGS) {
  clear(list);
  if (!findings.length) {
    list.append(el("li", { class: "finding none" }, words.none));
    return [];
  }
  const order = findings.map((f, i) => [f, i]).sort((x, y) => SEVERITY_ORDER[x[0].severity] - SEVERITY_ORDER[y[0].severity] || x[1] - y[1]);
  const items = [];
  for (const [finding, index] of order) {
    const where = locate(finding);
    const item = el("li", { class: `finding sev-${finding.severity}`, id: idPrefix ? `${idPrefix}-${index}` : null, tabindex: idPrefix ? "-1" : null },
      el("span", { class: `badge sev-${finding.severity}` }, finding.severity),
      el("code", { class: "check-name" }, finding.check),
      el("span", { class: "message" }, finding.message),
      finding.suggestion ? el("p", { class: "suggestion" }, `${words.suggestion}: ${finding.suggestion}`) : null,
      where ? el("p", { class: "where" },
        where.action ? el("button", { type: "button", class: "link", onclick: where.action }, `Show: ${where.label}`) : `Where: ${where.label}`) : null);
    items[index] = item;
    list.append(item);
  }
  return items;
}
