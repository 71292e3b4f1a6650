// Words the page uses for the report's values, in one place.

export const STANCE_WORD = {
  asserts: "asserts in its own voice",
  disputes: "disputes in its own voice",
  reports: "reports",
  omits: "omits",
};

export const KIND_LABEL = {
  disputed: "disputed",
  framing: "framed differently",
  one_sided: "one source only",
  unsupported: "unsupported",
};

export const FOUND_BY = {
  model: "the tagger",
  lexicon: "the lexicon",
  both: "the tagger and the lexicon",
  llm: "the language model",
};

/** What to say of a loaded term that has no neutral alternative. */
export function noAlternative(term) {
  if (term.origin === "model") return "No neutral alternative listed: the lexicon has no entry for it";
  return "No single-word alternative: rephrase or attribute it";
}

export function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** "A", "A and B", "A, B and C". */
export function listed(names) {
  if (names.length < 2) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
