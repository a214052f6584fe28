/**
 * Go's text/tabwriter (the algorithm kubectl's printers run through), for padChar ' ' and no flags:
 * cells are tab-terminated; a column block is a run of consecutive lines that have a cell in that
 * column; each block is as wide as its widest cell + padding (at least minwidth). The text after a
 * line's last tab is not a cell and is never padded.
 *
 * Pure: string in, string out.
 */
export interface TabwriterOptions {
  minwidth: number;
  padding: number;
}

/** kubectl get: printers.GetNewTabWriter (minwidth 6, tabwidth 4, padding 3). */
export const TABLE_TABWRITER: TabwriterOptions = { minwidth: 6, padding: 3 };
/** kubectl describe: tabwriter.NewWriter(out, 0, 8, 2, ' ', 0). */
export const DESCRIBE_TABWRITER: TabwriterOptions = { minwidth: 0, padding: 2 };

function runeLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function tabwrite(text: string, opts: TabwriterOptions): string {
  const endsNl = text.endsWith("\n");
  const rawLines = (endsNl ? text.slice(0, -1) : text).split("\n");
  const lines = rawLines.map((l) => l.split("\t"));
  const widths: number[] = [];
  let out = "";
  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const cells = lines[i]!;
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j]!;
        out += c;
        if (j < cells.length - 1 && j < widths.length) out += " ".repeat(Math.max(0, widths[j]! - runeLen(c)));
      }
      if (i < lines.length - 1 || endsNl) out += "\n";
    }
  };
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = opts.minwidth;
      for (; t < line1; t++) {
        const cells = lines[t]!;
        if (column >= cells.length - 1) break;
        const w = runeLen(cells[column]!) + opts.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
      t--; // the for-loop's t++ would skip line t
    }
    writeLines(line0, line1);
  };
  if (text === "") return "";
  format(0, lines.length);
  return out;
}

/** Rows of cells → kubectl's table text (header first). */
export function formatTable(rows: string[][]): string {
  if (!rows.length) return "";
  return tabwrite(rows.map((r) => r.join("\t")).join("\n") + "\n", TABLE_TABWRITER);
}
