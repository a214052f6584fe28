/**
 * The script format (ARCHITECTURE.md): one command a line, `#` comments, `<<EOF` heredocs taken
 * literally, `\` line continuations. Pure: parses text into commands, runs nothing.
 */
export interface ScriptCommand {
  /** The command line as typed (first line; for a heredoc, the line with `<<EOF`). */
  line: string;
  /** Heredoc body, if any (without the terminator line). */
  stdin?: string;
  /** 1-based line number of the command in the script. */
  lineNo: number;
  /** Comment lines directly above the command (narration), without the leading `#`. */
  comments: string[];
  /** Full source text of the command, heredoc included (for re-serialising a session). */
  source: string;
}

const HEREDOC = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1\s*$/;

export function parseScript(text: string): ScriptCommand[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const out: ScriptCommand[] = [];
  let comments: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === "") { comments = []; continue; }
    if (trimmed.startsWith("#")) { comments.push(trimmed.replace(/^#\s?/, "")); continue; }
    const lineNo = i + 1;
    const src: string[] = [line];
    while (line.endsWith("\\") && i + 1 < lines.length) {
      i++;
      src.push(lines[i]!);
      line = line.slice(0, -1) + " " + lines[i]!.trim();
    }
    const m = line.match(HEREDOC);
    let stdin: string | undefined;
    if (m) {
      const term = m[2]!;
      const body: string[] = [];
      let closed = false;
      while (i + 1 < lines.length) {
        i++;
        src.push(lines[i]!);
        if (lines[i]!.trim() === term) { closed = true; break; }
        body.push(lines[i]!);
      }
      if (!closed) throw new ScriptError(`line ${lineNo}: here-document delimited by end-of-file (wanted \`${term}')`, lineNo);
      stdin = body.join("\n") + "\n";
      line = line.replace(HEREDOC, "").trimEnd() + ` <<${term}`;
    }
    out.push({ line: line.trim(), ...(stdin !== undefined ? { stdin } : {}), lineNo, comments, source: src.join("\n") });
    comments = [];
  }
  return out;
}

export class ScriptError extends Error {
  constructor(message: string, readonly lineNo: number) {
    super(message);
  }
}

/** Serialise a command back to script text. */
export function formatCommand(line: string, stdin?: string): string {
  if (stdin === undefined) return line;
  const base = line.replace(/\s*<<\s*['"]?\w+['"]?\s*$/, "");
  return `${base} <<EOF\n${stdin.endsWith("\n") ? stdin : stdin + "\n"}EOF`;
}
