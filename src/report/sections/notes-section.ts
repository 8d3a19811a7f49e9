import { escapeHtml } from "../escape-html.js";

/** The run's notes (no test set, a model worse than a baseline, ...) above everything else, where they cannot be missed. */
export function notesSection(notes: readonly string[] | undefined): string {
  if (!notes || notes.length === 0) return "";
  return `<section id="notes" class="notes" role="alert"><h2>Read this first</h2><ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul></section>\n`;
}
