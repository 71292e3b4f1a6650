// One floating tooltip for highlighted terms: shown on hover and on keyboard focus, hidden on
// leave, blur and Escape. Each term is also described for screen readers (aria-describedby).

import { el, uniqueId } from "./dom.js";

const tip = () => document.getElementById("term-tip");
const descriptions = () => document.getElementById("descriptions");
let current = null;

function place(node) {
  const box = tip();
  const rect = node.getBoundingClientRect();
  box.hidden = false;
  const width = box.offsetWidth;
  const left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
  box.style.left = `${left}px`;
  box.style.top = `${rect.bottom + window.scrollY + 6}px`;
}

function open(node, lines) {
  current = node;
  const box = tip();
  box.replaceChildren(...lines.map((line, i) => el("p", { class: i === 0 ? "tip-title" : "" }, line)));
  place(node);
}

function close(node) {
  if (node && current !== node) return;
  current = null;
  tip().hidden = true;
}

/** Give `node` a tooltip made of `lines` (plain strings) and the same text as its description. */
export function attachTip(node, lines) {
  const id = uniqueId("desc");
  descriptions().append(el("span", { id }, lines.join(". ")));
  node.setAttribute("aria-describedby", id);
  node.addEventListener("mouseenter", () => open(node, lines));
  node.addEventListener("focus", () => open(node, lines));
  node.addEventListener("mouseleave", () => close(node));
  node.addEventListener("blur", () => close(node));
}

/** Drop the descriptions of nodes that are gone (called before re-rendering the panes). */
export function resetTips() {
  close(null);
  descriptions().replaceChildren();
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") close(null);
});
window.addEventListener("resize", () => close(null));
