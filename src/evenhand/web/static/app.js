// The page: sources in, report out, draft checked. Talks only to this server's /api.

import { el } from "./dom.js";
import { showCheck } from "./draft-view.js";
import { ReportView } from "./report-view.js";
import { SourcesForm } from "./sources-form.js";

const $ = (id) => document.getElementById(id);

const state = {
  config: null,
  report: null,
  reportIsCurrent: false, // false once the sources change after the report was made
  running: null, // AbortController of the request in flight
};

class ApiError extends Error {}

/** POST JSON; resolves to the Response, or throws ApiError with a message for the person. */
async function post(path, body, signal) {
  const payload = JSON.stringify(body);
  const limit = state.config && state.config.limits;
  if (limit) {
    const size = new Blob([payload]).size;
    const allowed = path === "/api/analyze" ? limit.max_request_bytes : 3 * limit.max_request_bytes;
    if (size > allowed) {
      throw new ApiError(`The request is ${(size / 1e6).toFixed(1)} MB; this server accepts at most ${(allowed / 1e6).toFixed(1)} MB. Send fewer or shorter articles.`);
    }
  }
  let response;
  try {
    response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: payload, signal });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError("Cannot reach the evenhand server. Is `evenhand serve` still running?");
  }
  if (!response.ok) {
    let message = `The server answered ${response.status} ${response.statusText}.`;
    try {
      const data = await response.json();
      if (data && typeof data.message === "string") message = data.message;
    } catch { /* not JSON: keep the status line */ }
    throw new ApiError(message.charAt(0).toUpperCase() + message.slice(1));
  }
  return response;
}

function showError(box, err) {
  box.hidden = !err;
  box.textContent = err ? err.message : "";
}

/** Progress while `work` runs: bar, elapsed seconds, buttons disabled; Cancel aborts it. */
async function withProgress({ line, status, label, buttons, cancel }, work) {
  const controller = new AbortController();
  state.running = controller;
  const started = performance.now();
  const elapsed = line.querySelector("[aria-hidden]");
  const tick = () => { if (elapsed) elapsed.textContent = `${((performance.now() - started) / 1000).toFixed(1)} s`; };
  tick();
  const timer = setInterval(tick, 100);
  line.hidden = false;
  status.textContent = label;
  buttons.forEach((b) => { b.disabled = true; });
  if (cancel) {
    cancel.hidden = false;
    cancel.onclick = () => controller.abort();
  }
  document.body.setAttribute("aria-busy", "true");
  try {
    return await work(controller.signal, started);
  } finally {
    clearInterval(timer);
    line.hidden = true;
    buttons.forEach((b) => { b.disabled = false; });
    if (cancel) cancel.hidden = true;
    document.body.removeAttribute("aria-busy");
    state.running = null;
  }
}

/** Number the steps on show, in order: before a report, the draft check is step 2, not 3. */
function numberSteps() {
  let n = 0;
  for (const step of document.querySelectorAll("main > section .step")) {
    const shown = !step.closest("section[hidden]");
    step.textContent = shown ? String((n += 1)) : "";
  }
}

function selectedEngine() {
  const checked = document.querySelector('input[name="engine"]:checked');
  return checked ? checked.value : "offline";
}

/** The threshold for loaded terms, or undefined (the server's default) when the box is empty. */
function minConfidence() {
  const value = $("min-confidence").valueAsNumber;
  return Number.isFinite(value) ? value : undefined;
}

function renderEngines(config) {
  const box = $("engines");
  box.replaceChildren();
  for (const engine of config.engines) {
    const id = `engine-${engine.name}`;
    const input = el("input", { type: "radio", name: "engine", id, value: engine.name, disabled: !engine.available, "aria-describedby": `${id}-detail` });
    input.checked = engine.name === "offline";
    box.append(el("div", { class: `engine${engine.available ? "" : " unavailable"}` },
      input,
      el("label", { for: id }, engine.label),
      el("p", { class: "hint", id: `${id}-detail` }, engine.detail)));
  }
}

async function analyze(form, view) {
  const errorBox = $("run-error");
  showError(errorBox, null);
  let sources;
  try {
    sources = form.collect();
  } catch (err) {
    showError(errorBox, err);
    return;
  }
  const engine = selectedEngine();
  const label = `Analysing ${sources.length} source${sources.length === 1 ? "" : "s"} with the ${engine} engine…`;
  try {
    const report = await withProgress(
      { line: $("run-status-line"), status: $("run-status"), label, buttons: [$("run"), $("check")], cancel: $("cancel") },
      async (signal) => (await post("/api/analyze", { sources, engine, min_confidence: minConfidence() }, signal)).json(),
    );
    state.report = report;
    state.reportIsCurrent = true;
    $("results").hidden = false;
    numberSteps();
    view.show(report);
    $("run-status").textContent = `Done: ${report.summary.length} summary sentences, ${report.contested_claims.length} contested claims, ${report.loaded_language.length} loaded terms.`;
    $("results-heading").scrollIntoView({ block: "start" });
  } catch (err) {
    $("run-status").textContent = err.name === "AbortError" ? "Cancelled." : "The analysis failed.";
    if (err.name !== "AbortError") showError(errorBox, err);
  }
}

function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function exportReport(format) {
  const status = $("export-status");
  if (!state.report) return;
  if (format === "json") {
    download("evenhand-report.json", new Blob([`${JSON.stringify(state.report, null, 2)}\n`], { type: "application/json" }));
    status.textContent = "Saved evenhand-report.json.";
    return;
  }
  try {
    status.textContent = "Rendering Markdown…";
    const response = await post("/api/render?format=markdown", state.report);
    download("evenhand-report.md", new Blob([await response.text()], { type: "text/markdown" }));
    status.textContent = "Saved evenhand-report.md.";
  } catch (err) {
    status.textContent = `Export failed: ${err.message}`;
  }
}

async function checkDraft(form, view) {
  const errorBox = $("check-error");
  showError(errorBox, null);
  const draft = $("draft").value;
  if (!draft.trim()) {
    showError(errorBox, new Error("Write or paste your draft first."));
    $("draft").focus();
    return;
  }
  const body = { draft, engine: selectedEngine(), min_confidence: minConfidence() };
  if (state.report && state.reportIsCurrent) body.report = state.report;
  else {
    try {
      body.sources = form.collect();
    } catch (err) {
      showError(errorBox, err);
      return;
    }
  }
  try {
    const check = await withProgress(
      { line: $("check-status-line"), status: $("check-status"), label: "Checking your draft against the sources…", buttons: [$("run"), $("check")] },
      async (signal) => (await post("/api/check", body, signal)).json(),
    );
    $("check-results").hidden = false;
    const nameOf = (id) => { const a = check.articles.find((x) => x.id === id); return a ? a.outlet || a.id : id; };
    const shown = showCheck($("draft-view"), $("check-findings"), check, nameOf);
    $("check-status").textContent = `Checked: ${shown.findings} finding${shown.findings === 1 ? "" : "s"}, ${shown.marks} marked in the draft.`;
    view.lastCheck = check;
  } catch (err) {
    $("check-status").textContent = "The check failed.";
    showError(errorBox, err);
  }
}

async function loadExample(form) {
  const errorBox = $("run-error");
  try {
    const response = await fetch("/api/example");
    if (!response.ok) throw new ApiError("The server could not give the bundled example.");
    const example = await response.json();
    form.clearAll();
    for (const source of example.sources) form.add(source);
    $("run-status").textContent = `Loaded the bundled example: ${example.sources.length} sources.`;
    showError(errorBox, null);
  } catch (err) {
    showError(errorBox, err);
  }
}

async function boot() {
  const view = new ReportView($("results"));
  const form = new SourcesForm($("sources"), { onChange: () => { state.reportIsCurrent = false; } });
  form.add();
  form.add();
  $("add-source").addEventListener("click", () => form.add().focus());
  $("load-example").addEventListener("click", () => loadExample(form));
  $("run").addEventListener("click", () => analyze(form, view));
  $("check").addEventListener("click", () => checkDraft(form, view));
  $("export-json").addEventListener("click", () => exportReport("json"));
  $("export-markdown").addEventListener("click", () => exportReport("markdown"));
  // A report keeps the terms of the threshold it was made with: a new one needs a new analysis.
  $("min-confidence").addEventListener("change", () => { state.reportIsCurrent = false; });
  try {
    const response = await fetch("/api/config");
    state.config = await response.json();
    renderEngines(state.config);
    $("min-confidence").value = String(state.config.default_min_confidence);
    $("footer-version").textContent = `evenhand ${state.config.version} · report schema ${state.config.schema_version} · up to ${state.config.limits.max_articles} sources and ${(state.config.limits.max_request_bytes / 1e6).toFixed(1)} MB per request`;
    $("sources-hint").append(` Up to ${state.config.limits.max_articles} sources.`);
  } catch {
    showError($("run-error"), new Error("Cannot read the server's configuration; is `evenhand serve` running?"));
  }
  numberSteps();
  document.body.dataset.ready = "true";
}

boot();
