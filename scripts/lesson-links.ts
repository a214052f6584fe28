// Prints one share link per lesson (Markdown list for the README): an empty session at the lesson's
// first step, opened in the Lessons panel. `npx tsx scripts/lesson-links.ts [base-url]`
import { readFileSync } from "node:fs";
import { encodeShare } from "../src/scenario/share.ts";
import { DEFAULT_START } from "../src/simulation.ts";

const base = process.argv[2] ?? "http://127.0.0.1:5173/";
const index = JSON.parse(readFileSync("public/lessons/index.json", "utf8")) as Array<{ id: string; title: string }>;
for (const l of index) {
  const hash = encodeShare({ v: 1, script: "", seed: 1, startTime: DEFAULT_START, at: DEFAULT_START, view: { panel: "lessons", lesson: l.id, step: 0 } });
  console.log(`- [${l.title}](${base}${hash})`);
}
