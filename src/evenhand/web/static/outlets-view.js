// The report seen outlet by outlet: a panel per outlet (its headline, its loaded terms with their
// confidence, its stance on each contested claim), the list of every loaded term, and the bar that
// shows which outlets carry a summary sentence. `show(span, label)` highlights a passage.

import { clear, el, excerpt } from "./dom.js";
import { FOUND_BY, STANCE_WORD, listed, noAlternative, plural } from "./labels.js";

function termsOf(report, articleId) {
  return report.loaded_language
    .map((term, index) => ({ term, index }))
    .filter(({ term }) => term.span.article_id === articleId)
    .sort((a, b) => a.term.span.start - b.term.span.start);
}

function wordCount(text) {
  return (text.match(/\S+/g) || []).length;
}

/** One segment per outlet, filled when the sentence's support includes it, and the words. */
export function carryLine(report, sentence, nameOf) {
  const carrying = new Set(sentence.support.map((s) => s.article_id));
  const on = report.articles.filter((a) => carrying.has(a.id)).map((a) => nameOf(a.id));
  const off = report.articles.filter((a) => !carrying.has(a.id)).map((a) => nameOf(a.id));
  const bar = el("span", { class: "carry-bar", "aria-hidden": "true" },
    report.articles.map((a) => el("span", {
      class: `carry-seg${carrying.has(a.id) ? " on" : ""}`,
      title: `${nameOf(a.id)}: ${carrying.has(a.id) ? "carries this point" : "does not carry it"}`,
      dataset: { articleId: a.id },
    })));
  const words = on.length
    ? `${on.length} of ${report.articles.length}: ${listed(on)}${off.length ? ` (not ${listed(off)})` : ""}`
    : "No supporting passage in any source";
  return el("span", { class: "backing" }, bar, el("span", { class: "carry-words" }, words));
}

export function renderOutletPanels(box, report, nameOf, show) {
  clear(box);
  for (const article of report.articles) {
    const terms = termsOf(report, article.id);
    const own = terms.filter(({ term }) => !term.in_quote).length;
    const headingId = `outlet-heading-${article.id}`;
    const chips = terms.length
      ? el("ul", { class: "term-chips" }, terms.map(({ term }) => el("li", {},
        el("button", {
          type: "button",
          class: `term-chip ${term.in_quote ? "quoted" : "own"}`,
          title: `${term.in_quote ? "Inside quoted speech" : "In the outlet's own voice"}; confidence ${term.confidence.toFixed(2)}`,
          onclick: () => show(term.span, `“${term.span.text}”`),
        }, term.span.text, " ", el("span", { class: "chip-confidence" }, term.confidence.toFixed(2))))))
      : el("p", { class: "none" }, "No loaded terms at this threshold.");
    const stances = report.contested_claims.length
      ? el("ol", { class: "outlet-stances" }, report.contested_claims.map((claim, i) => {
        const position = claim.positions.find((p) => p.article_id === article.id);
        const stance = position ? position.stance : "omits";
        return el("li", { dataset: { stance } },
          el("span", { class: `stance stance-${stance}` }, STANCE_WORD[stance] || stance),
          el("span", { class: "stance-claim" }, `Claim ${i + 1}: ${excerpt(claim.claim, 90)}`));
      }))
      : el("p", { class: "none" }, "No contested claims.");
    box.append(el("article", { class: "outlet-card", "aria-labelledby": headingId, dataset: { articleId: article.id } },
      el("h4", { id: headingId }, nameOf(article.id)),
      el("p", { class: `outlet-headline${article.title ? "" : " none"}` }, article.title ? `“${article.title}”` : "No headline given"),
      el("p", { class: "outlet-counts" }, `${plural(wordCount(article.text), "word")} · ${plural(terms.length, "loaded term")}, ${own} in its own voice`),
      el("h5", {}, "Loaded terms (confidence)"),
      chips,
      el("h5", {}, "Stance on the contested claims"),
      stances));
  }
}

export function renderLoadedList(body, report, nameOf, show) {
  clear(body);
  for (const article of report.articles) {
    for (const { term } of termsOf(report, article.id)) {
      body.append(el("tr", { dataset: { articleId: article.id } },
        el("td", {}, el("button", {
          type: "button",
          class: `term-link ${term.in_quote ? "quoted" : "own"}`,
          title: "Show this term in its source",
          onclick: () => show(term.span, `“${term.span.text}”`),
        }, term.span.text)),
        el("td", {}, nameOf(article.id)),
        el("td", {}, term.in_quote ? "in a quote" : "own voice"),
        el("td", { class: "number" }, term.confidence.toFixed(2)),
        el("td", {}, FOUND_BY[term.origin] || term.origin),
        el("td", {}, term.neutral_alternative || noAlternative(term))));
    }
  }
}
