/**
 * Lessons: a lesson is an ordinary script (it runs with `kubeplay run`, `runScript`, the console) whose
 * comments are the narration. Pure: parses text, runs nothing.
 *
 * ## Lesson syntax
 *
 * ```
 * # title: DaemonSet: one pod on every node         ← metadata (only before the first command)
 * # description: fluentd on every node, control plane included
 *
 * # A DaemonSet runs one copy of a pod on every      ← narration of step 1: every comment line
 * # node. Start with a three-node cluster.             between the previous command and this one
 * #                                                  ← an empty `#` line (or a blank line) = new paragraph
 * # ? How many nodes will the cluster have? [3]      ← a question with its expected answer
 * sim node add cp --taint node-role.kubernetes.io/control-plane:NoSchedule
 * sim node add w1                                     ← commands with no comment above them belong
 * sim node add w2                                       to the step before
 *
 * # Step 2's narration …
 * kubectl apply -f - <<EOF
 * …
 * EOF
 *
 * # Trailing comments after the last command form a last step with no commands (a summary).
 * ```
 *
 * - **Steps.** A step starts at every command that has comment lines above it (back to the previous
 *   command; blank lines in between are paragraph breaks). Its narration is those lines without the
 *   leading `# `, paragraphs joined by a blank line, lines of one paragraph joined by a newline.
 * - **Metadata.** Before the first command, `# title: …` and `# description: …` lines set the lesson's
 *   title and description and are not narration. Keys are case-insensitive.
 * - **Questions.** A narration line starting with `?` asks the learner to predict the outcome before
 *   the step's commands run: `? How many pods will run on w2? [2]`. The expected answer is the last
 *   `[...]` at the end of the line; `|` separates accepted alternatives (`[Pending|pending]`); with no
 *   brackets any answer is accepted. One question per step (the last one wins). See {@link checkAnswer}.
 * - Comment lines inside a heredoc are YAML, not narration (the script parser takes heredocs literally).
 *
 * Built-in lessons live in `public/lessons/<id>.kp` with `public/lessons/index.json`
 * (`[{ "id", "title", "description" }]`) and a golden transcript `<id>.out` checked by
 * tests/engine/lessons.
 *
 * @example
 * const lesson = parseLesson(await (await fetch("lessons/daemonset-fluentd.kp")).text())
 * lesson.steps[0].narration // "A DaemonSet runs one copy…"
 * checkAnswer(lesson.steps[2].answer!, " 3 ") // true
 */
import { parseScript, type ScriptCommand } from "./script.ts";

export interface LessonStep {
  /** Narration text (paragraphs separated by a blank line). */
  narration: string;
  /** A prediction question shown before the step's commands run. */
  question?: string;
  /** Expected answer as written (alternatives separated by `|`); absent = any answer is fine. */
  answer?: string;
  /** The step's commands, in order. */
  commands: ScriptCommand[];
  /** Index of the step's first command among all the lesson's commands (= Session.history index). */
  firstCommand: number;
  /** 1-based line range of the step in the lesson text: its first narration line to its last command line. */
  lines: [number, number];
}

export interface Lesson {
  title: string;
  description: string;
  steps: LessonStep[];
  /** All commands (the whole script), for runScript / replay. */
  commands: ScriptCommand[];
}

export interface LessonIndexEntry {
  id: string;
  title: string;
  description: string;
}

const META = /^(title|description)\s*:\s*(.*)$/i;
const QUESTION = /^\?\s*(.*?)\s*(?:\[([^\]]*)\])?\s*$/;

/** Parse a lesson. Throws ScriptError when the script itself does not parse (unterminated heredoc). */
export function parseLesson(text: string): Lesson {
  const norm = text.replace(/\r\n?/g, "\n");
  const lines = norm.split("\n");
  const commands = parseScript(norm);
  const lesson: Lesson = { title: "", description: "", steps: [], commands };

  /** Comment/blank lines in [from, to) (0-based line indexes) → narration + question. */
  const narrationOf = (from: number, to: number, allowMeta: boolean) => {
    const paras: string[][] = [[]];
    let question: string | undefined;
    let answer: string | undefined;
    let first: number | undefined; // 0-based index of the first narration/question line
    for (let i = from; i < to; i++) {
      const t = lines[i]!.trim();
      if (t === "" || t === "#") {
        if (paras[paras.length - 1]!.length) paras.push([]);
        continue;
      }
      if (!t.startsWith("#")) continue; // cannot happen between commands
      const body = t.replace(/^#\s?/, "").trimEnd();
      const meta = allowMeta ? body.match(META) : null;
      if (meta) {
        if (meta[1]!.toLowerCase() === "title") lesson.title = meta[2]!.trim();
        else lesson.description = meta[2]!.trim();
        continue;
      }
      first ??= i;
      const q = body.match(QUESTION);
      if (q) {
        question = q[1]!;
        answer = q[2] !== undefined ? q[2].trim() : undefined;
        continue;
      }
      paras[paras.length - 1]!.push(body);
    }
    const narration = paras.filter((p) => p.length).map((p) => p.join("\n")).join("\n\n");
    return { narration, question, answer, first };
  };

  let prevEnd = 0; // 0-based index of the first line after the previous command
  let cur: LessonStep | undefined;
  commands.forEach((c, idx) => {
    const start = c.lineNo - 1;
    const n = narrationOf(prevEnd, start, idx === 0);
    prevEnd = start + c.source.split("\n").length;
    if (!cur || n.narration || n.question !== undefined) {
      cur = { narration: n.narration, commands: [], firstCommand: idx, lines: [(n.first ?? start) + 1, prevEnd] };
      if (n.question !== undefined) cur.question = n.question;
      if (n.answer !== undefined) cur.answer = n.answer;
      lesson.steps.push(cur);
    }
    cur.commands.push(c);
    cur.lines[1] = prevEnd;
  });
  const tail = narrationOf(prevEnd, lines.length, commands.length === 0);
  if (tail.narration || tail.question !== undefined) {
    let last = lines.length;
    while (last > 0 && lines[last - 1]!.trim() === "") last--;
    const step: LessonStep = { narration: tail.narration, commands: [], firstCommand: commands.length, lines: [(tail.first ?? prevEnd) + 1, last] };
    if (tail.question !== undefined) step.question = tail.question;
    if (tail.answer !== undefined) step.answer = tail.answer;
    lesson.steps.push(step);
  }
  return lesson;
}

function normalizeAnswer(s: string): string {
  return s.trim().toLowerCase().replace(/\s+/g, " ").replace(/[.!]+$/, "").replace(/^["'`](.*)["'`]$/, "$1").trim();
}

/**
 * Does the learner's answer match the expected one? Case-, space- and trailing-period-insensitive;
 * numbers compare by value (`"03"` = `"3"`); `|` separates accepted alternatives. An empty expected
 * answer (or none) accepts anything.
 */
export function checkAnswer(expected: string | undefined, given: string): boolean {
  if (expected === undefined || expected.trim() === "") return true;
  const g = normalizeAnswer(given);
  return expected.split("|").some((alt) => {
    const a = normalizeAnswer(alt);
    if (a === g) return true;
    const na = Number(a), ng = Number(g);
    return a !== "" && g !== "" && Number.isFinite(na) && Number.isFinite(ng) && na === ng;
  });
}

/** The script text of steps `0..step` (to run a lesson up to a step, e.g. with replayTo). */
export function lessonScriptUpTo(lesson: Lesson, step: number): string {
  const out: string[] = [];
  for (const s of lesson.steps.slice(0, step + 1)) for (const c of s.commands) out.push(c.source);
  return out.length ? out.join("\n") + "\n" : "";
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Validate `public/lessons/index.json`. Throws with a clear message on a malformed index. */
export function parseLessonIndex(json: unknown): LessonIndexEntry[] {
  if (!Array.isArray(json)) throw new Error("lessons/index.json: expected an array");
  const seen = new Set<string>();
  return json.map((e, i) => {
    if (typeof e !== "object" || e === null) throw new Error(`lessons/index.json[${i}]: expected an object`);
    const { id, title, description } = e as Record<string, unknown>;
    if (typeof id !== "string" || !ID.test(id)) throw new Error(`lessons/index.json[${i}]: id must be lower-case words joined by "-"`);
    if (seen.has(id)) throw new Error(`lessons/index.json[${i}]: duplicate id ${id}`);
    seen.add(id);
    if (typeof title !== "string" || !title) throw new Error(`lessons/index.json[${i}]: title must be non-empty text`);
    if (typeof description !== "string") throw new Error(`lessons/index.json[${i}]: description must be text`);
    return { id, title, description };
  });
}
