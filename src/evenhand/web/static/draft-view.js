// Shows a CheckReport: the editor's draft with each finding marked where it applies, and the
// findings listed; a mark and its finding point at each other.

import { append, clear, el } from "./dom.js";
import { renderFindingList } from "./report-view.js";

const RANK = { info: 0, warning: 1, error: 2 };

function located(finding, length) {
  const loc = finding.location;
  return loc && loc.target === "draft" && Number.isInteger(loc.start) && Number.isInteger(loc.end)
    && loc.start < loc.end && loc.end <= length;
}

function flash(node) {
  node.classList.remove("flash");
  void node.offsetWidth; // restart the animation
  node.classList.add("flash");
}

export function showCheck(view, list, check, nameOf) {
  const draft = check.draft;
  const findings = check.findings;
  const marksOf = new Map(); // finding index -> its marks in the draft

  const items = renderFindingList(list, findings, (finding) => {
    const index = findings.indexOf(finding);
    if (located(finding, draft.length)) {
      return {
        label: `“${draft.slice(finding.location.start, finding.location.end)}” in your draft`,
        action: () => {
          const marks = marksOf.get(index) || [];
          if (!marks.length) return;
          marks[0].scrollIntoView({ block: "center" });
          marks[0].focus({ preventScroll: true });
          marks.forEach(flash);
        },
      };
    }
    const id = finding.location && finding.location.article_id;
    return id ? { label: nameOf(id) } : null;
  }, "check-finding");

  const spans = findings.map((f, i) => [f, i]).filter(([f]) => located(f, draft.length));
  const points = new Set([0, draft.length]);
  for (const [f] of spans) { points.add(f.location.start); points.add(f.location.end); }
  const cuts = [...points].sort((a, b) => a - b);
  const nodes = [];
  for (let i = 0; i + 1 < cuts.length; i += 1) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const covering = spans.filter(([f]) => f.location.start <= a && b <= f.location.end);
    if (!covering.length) {
      nodes.push(document.createTextNode(draft.slice(a, b)));
      continue;
    }
    const worst = covering.reduce((w, [f]) => (RANK[f.severity] > RANK[w] ? f.severity : w), "info");
    const ids = covering.map(([, index]) => `check-finding-${index}`);
    const mark = el("mark", {
      class: `finding-mark sev-${worst}`,
      tabindex: "0",
      "aria-describedby": ids.join(" "),
      dataset: { start: String(a), end: String(b) },
      title: covering.map(([f]) => f.message).join("\n"),
      onclick: () => jump(covering[0][1]),
      onkeydown: (event) => { if (event.key === "Enter") jump(covering[0][1]); },
    }, draft.slice(a, b));
    for (const [, index] of covering) marksOf.set(index, [...(marksOf.get(index) || []), mark]);
    nodes.push(mark);
  }
  clear(view);
  append(view, nodes);

  function jump(index) {
    const item = items[index];
    if (!item) return;
    item.scrollIntoView({ block: "nearest" });
    item.focus({ preventScroll: true });
    flash(item);
  }
  return { marks: [...marksOf.values()].flat().length, findings: findings.length };
}
