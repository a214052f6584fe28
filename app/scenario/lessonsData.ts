/**
 * The built-in lessons: public/lessons/index.json and <id>.kp, fetched relative to the page (so the
 * site works under any sub-path) and kept in memory once fetched; `prefetchLessons` loads them all
 * at idle time so the panel works offline after the first load.
 */
import { parseLesson, parseLessonIndex, type Lesson, type LessonIndexEntry } from "../../src/index.ts";

let index: Promise<LessonIndexEntry[]> | undefined;
const texts = new Map<string, Promise<string>>();

const url = (path: string) => new URL(path, document.baseURI).toString();

async function text(path: string): Promise<string> {
  const r = await fetch(url(path));
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.text();
}

export function lessonIndex(): Promise<LessonIndexEntry[]> {
  index ??= text("lessons/index.json").then((t) => parseLessonIndex(JSON.parse(t) as unknown));
  index.catch(() => { index = undefined; });
  return index;
}

export function lessonText(id: string): Promise<string> {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) return Promise.reject(new Error(`no lesson ${id}`));
  let p = texts.get(id);
  if (!p) {
    p = text(`lessons/${id}.kp`);
    texts.set(id, p);
    p.catch(() => texts.delete(id));
  }
  return p;
}

export async function loadLesson(id: string): Promise<Lesson> {
  return parseLesson(await lessonText(id));
}

/** Fetch the index and every lesson once, so they are there offline. */
export async function prefetchLessons(): Promise<void> {
  try {
    const idx = await lessonIndex();
    for (const e of idx) await lessonText(e.id).catch(() => undefined);
  } catch { /* offline at first load: the panel says so when opened */ }
}
