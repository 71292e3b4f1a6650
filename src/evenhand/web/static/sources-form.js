// The "Sources" form: one card per article, given as pasted text, an uploaded file or a URL.

import { el, uniqueId } from "./dom.js";

const MODES = [
  ["text", "Paste text"],
  ["file", "Upload a file"],
  ["url", "From a URL"],
];

export class SourcesForm {
  constructor(container, { onChange } = {}) {
    this.container = container;
    this.cards = [];
    this.onChange = onChange || (() => {});
  }

  /** Add a card; `initial` = {text, filename, outlet, url} fills it in. Returns the card. */
  add(initial = {}) {
    const card = new SourceCard(this, initial);
    this.cards.push(card);
    this.container.append(card.root);
    this.renumber();
    this.onChange();
    return card;
  }

  remove(card) {
    this.cards = this.cards.filter((c) => c !== card);
    card.root.remove();
    if (this.cards.length === 0) this.add();
    this.renumber();
    this.cards[0].focus();
    this.onChange();
  }

  clearAll() {
    for (const card of this.cards) card.root.remove();
    this.cards = [];
  }

  renumber() {
    this.cards.forEach((card, i) => card.setNumber(i + 1));
  }

  /** The sources for the API; throws an Error with a message for the person when one is empty. */
  collect() {
    const sources = [];
    const blanks = [];
    this.cards.forEach((card, i) => {
      const source = card.value();
      if (source) sources.push(source);
      else blanks.push(i + 1);
    });
    const filled = sources.length;
    if (blanks.length && filled === 0) throw new Error("Add at least one source: paste an article's text, upload a file or give a URL.");
    if (blanks.length) {
      const which = blanks.map((n) => `source ${n}`).join(", ");
      throw new Error(`${which} ${blanks.length > 1 ? "are" : "is"} empty: fill ${blanks.length > 1 ? "them" : "it"} in or remove ${blanks.length > 1 ? "them" : "it"}.`);
    }
    return sources;
  }
}

class SourceCard {
  constructor(form, initial) {
    this.form = form;
    this.file = null; // {name, text} once a file is read
    const id = uniqueId("source");
    this.legend = el("legend");
    this.outlet = el("input", { type: "text", id: `${id}-outlet`, autocomplete: "off" });
    this.outlet.value = initial.outlet || "";
    this.text = el("textarea", { id: `${id}-text`, rows: 7, spellcheck: "false" });
    this.text.value = initial.text || "";
    this.filename = initial.filename || null; // kept for pasted text that came from a file
    this.url = el("input", { type: "url", id: `${id}-url`, placeholder: "https://…", inputmode: "url" });
    this.url.value = initial.url || "";
    this.fileInput = el("input", {
      type: "file",
      id: `${id}-file`,
      accept: ".txt,.md,.markdown,.html,.htm,.xhtml,text/plain,text/html,text/markdown",
    });
    this.fileStatus = el("p", { class: "hint", "aria-live": "polite" });
    this.fileInput.addEventListener("change", () => this.readFile());
    for (const input of [this.outlet, this.text, this.url]) {
      input.addEventListener("input", () => form.onChange());
    }

    this.radios = [];
    const modeGroup = el("fieldset", { class: "mode-choice" }, el("legend", {}, "Give it as"));
    for (const [mode, label] of MODES) {
      const radio = el("input", { type: "radio", name: `${id}-mode`, value: mode, id: `${id}-mode-${mode}` });
      radio.addEventListener("change", () => this.setMode(mode));
      this.radios.push(radio);
      modeGroup.append(el("span", { class: "radio" }, radio, el("label", { for: radio.id }, label)));
    }

    this.panels = {
      text: el("div", { class: "mode-panel" }, el("label", { for: this.text.id }, "Article text"), this.text),
      file: el("div", { class: "mode-panel" }, el("label", { for: this.fileInput.id }, "File (.txt, .md or .html)"), this.fileInput, this.fileStatus),
      url: el("div", { class: "mode-panel" }, el("label", { for: this.url.id }, "Article URL"), this.url,
        el("p", { class: "hint" }, "The server fetches the page and keeps its main text. Addresses on private networks are refused.")),
    };
    this.removeButton = el("button", { type: "button", class: "remove", onclick: () => form.remove(this) }, "Remove");
    this.root = el(
      "fieldset",
      { class: "source-card" },
      this.legend,
      el("div", { class: "source-head" },
        el("div", { class: "field" }, el("label", { for: this.outlet.id }, "Outlet (optional)"), this.outlet),
        modeGroup,
        this.removeButton),
      this.panels.text,
      this.panels.file,
      this.panels.url,
    );
    this.setMode(initial.url ? "url" : "text");
  }

  setNumber(n) {
    this.number = n;
    this.legend.textContent = `Source ${n}`;
    this.removeButton.setAttribute("aria-label", `Remove source ${n}`);
  }

  setMode(mode) {
    this.mode = mode;
    for (const radio of this.radios) radio.checked = radio.value === mode;
    for (const [name, panel] of Object.entries(this.panels)) panel.hidden = name !== mode;
    this.form.onChange();
  }

  focus() {
    (this.mode === "url" ? this.url : this.mode === "file" ? this.fileInput : this.text).focus();
  }

  async readFile() {
    const file = this.fileInput.files && this.fileInput.files[0];
    this.file = null;
    if (!file) {
      this.fileStatus.textContent = "";
      return;
    }
    try {
      const text = await file.text();
      if (!text.trim()) throw new Error("the file is empty");
      this.file = { name: file.name, text };
      this.fileStatus.textContent = `Read ${file.name}: ${text.length.toLocaleString()} characters.`;
    } catch (err) {
      this.fileStatus.textContent = `Cannot read ${file.name}: ${err.message}`;
    }
    this.form.onChange();
  }

  /** The source for the API, or null when this card is empty. */
  value() {
    const outlet = this.outlet.value.trim() || null;
    if (this.mode === "url") {
      const url = this.url.value.trim();
      return url ? { url, outlet } : null;
    }
    if (this.mode === "file") {
      return this.file ? { text: this.file.text, filename: this.file.name, outlet } : null;
    }
    const text = this.text.value;
    return text.trim() ? { text, filename: this.filename, outlet } : null;
  }
}
