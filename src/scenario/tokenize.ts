/**
 * POSIX-shell-like word splitting for one command line: single quotes literal, double quotes with
 * backslash escapes, backslash outside quotes. No expansion: `$VAR` stays as typed (the script
 * format passes manifests and args through literally).
 */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error("unexpected EOF while looking for matching `''");
      cur += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      i++;
      let closed = false;
      while (i < line.length) {
        const c = line[i]!;
        if (c === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) { cur += line[i + 1]; i += 2; continue; }
        if (c === '"') { closed = true; i++; break; }
        cur += c;
        i++;
      }
      if (!closed) throw new Error('unexpected EOF while looking for matching `"\'');
      inWord = true;
    } else if (ch === "\\" && i + 1 < line.length) {
      cur += line[i + 1];
      inWord = true;
      i += 2;
    } else if (ch === " " || ch === "\t") {
      if (inWord) { out.push(cur); cur = ""; inWord = false; }
      i++;
    } else {
      cur += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) out.push(cur);
  return out;
}
