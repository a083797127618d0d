// HTML for user text and tables, shared by the job summary and the pull-request comment (which GitHub
// renders as Markdown with inline HTML).

/** Text made inert inside an element or a double-quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string,
  );
}

export type Cell = string | { data: string; header: true };

/** An HTML table with every cell closed (@actions/core's addTable leaves an empty cell open: `<td>`). */
export function htmlTable(rows: Cell[][]): string {
  const cell = (c: Cell): string => (typeof c === 'string' ? `<td>${c}</td>` : `<th>${c.data}</th>`);
  return `<table>${rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('')}</table>`;
}
