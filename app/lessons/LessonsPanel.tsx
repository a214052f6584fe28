/**
 * Lessons: pick one of the built-in lessons, read its narration step by step, predict what will
 * happen when a step asks, then "Run step" runs that step's commands (the editor shows a manifest the
 * step applies). A lesson runs as a guest scenario: the user's own work stays autosaved.
 */
import { Fragment, useEffect, useState, type ReactNode } from "react";
import type { LessonIndexEntry } from "../../src/index.ts";
import { getAppStore, useSim } from "../store/simStore.ts";
import { lessonIndex, loadLesson } from "../scenario/lessonsData.ts";
import { backToOwn, keepScenario, stashOwn } from "../scenario/boot.ts";

/** Narration as text: paragraphs, line breaks and `code` spans (never HTML). */
export function Narration({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n\n+/).map((para, i) => (
        <p key={i}>
          {para.split("\n").map((line, j) => (
            <Fragment key={j}>
              {j > 0 && <br />}
              {line.split(/(`[^`]+`)/).map((part, k): ReactNode => (part.startsWith("`") && part.endsWith("`") && part.length > 2 ? <code key={k}>{part.slice(1, -1)}</code> : part))}
            </Fragment>
          ))}
        </p>
      ))}
    </>
  );
}

function LessonList() {
  const [idx, setIdx] = useState<LessonIndexEntry[] | null>(null);
  const [err, setErr] = useState("");
  const [starting, setStarting] = useState("");
  useEffect(() => {
    lessonIndex().then(setIdx, (e: Error) => setErr(`The lessons could not be loaded (${e.message}).`));
  }, []);
  const start = async (e: LessonIndexEntry) => {
    setStarting(e.id);
    try {
      const lesson = await loadLesson(e.id);
      const store = getAppStore();
      stashOwn(store);
      await store.getState().startLesson(e.id, lesson);
    } catch (x) {
      setErr(`The lesson could not be loaded (${(x as Error).message}).`);
    } finally {
      setStarting("");
    }
  };
  if (err) return <div className="lesson-error" role="alert">{err}</div>;
  if (!idx) return <div className="empty">Loading lessons…</div>;
  return (
    <ol className="lesson-list" aria-label="Lessons">
      {idx.map((e) => (
        <li key={e.id}>
          <button type="button" className="lesson-pick" onClick={() => void start(e)} disabled={starting !== ""} aria-label={`Start lesson: ${e.title}`}>
            <span className="lesson-title">{e.title}</span>
            <span className="lesson-desc">{e.description}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}

function Question({ step }: { step: number }) {
  const l = useSim((s) => s.lesson)!;
  const st = l.lesson.steps[step]!;
  const ans = l.answers[step];
  const [given, setGiven] = useState("");
  if (!st.question) return null;
  return (
    <form className="question" onSubmit={(e) => { e.preventDefault(); if (given.trim()) getAppStore().getState().answerLesson(step, given); }}>
      <label>
        <span className="q">Predict: {st.question}</span>
        <input name="answer" aria-label="Your prediction" value={given} onChange={(e) => setGiven(e.target.value)} disabled={!!ans} placeholder="Your answer" autoComplete="off" />
      </label>
      {!ans && <button type="submit" disabled={!given.trim()}>Check</button>}
      {ans && (
        <div className={`verdict ${ans.correct ? "right" : "wrong"}`} role="status">
          {ans.correct ? "✓ Right" : `✗ Not quite${st.answer ? ` — expected ${st.answer.split("|")[0]}` : ""}`}. Run the step to see.
        </div>
      )}
    </form>
  );
}

function LessonRun() {
  const l = useSim((s) => s.lesson)!;
  const busy = useSim((s) => s.busy !== null);
  const [running, setRunning] = useState(false);
  const steps = l.lesson.steps;
  const done = l.next >= steps.length;
  const cur = steps[l.next];
  const needsAnswer = !!cur?.question && !l.answers[l.next];
  const run = async () => {
    setRunning(true);
    try { await getAppStore().getState().runLessonStep(); } finally { setRunning(false); }
  };
  const store = getAppStore();
  return (
    <div className="lesson-run">
      <h3 className="lesson-h">{l.lesson.title}</h3>
      <div className="lesson-progress" aria-label="Lesson progress">Step {Math.min(l.next + 1, steps.length)} of {steps.length}{done ? " · done" : ""}</div>
      <div className="steps">
        {steps.slice(0, l.next).map((s, i) => (
          <details key={i} className="step done">
            <summary>Step {i + 1} ✓ <span className="cmds">{s.commands.map((c) => c.line).join(" · ").slice(0, 90)}</span></summary>
            <Narration text={s.narration} />
          </details>
        ))}
        {cur && (
          <div className="step current" aria-label={`Step ${l.next + 1}`}>
            <Narration text={cur.narration} />
            <Question key={l.next} step={l.next} />
            {cur.commands.length > 0 && (
              <pre className="step-cmds" aria-label="Commands of this step">{cur.commands.map((c) => `$ ${c.line}`).join("\n")}</pre>
            )}
            <button type="button" className="primary" onClick={() => void run()} disabled={running || busy} title={needsAnswer ? "Answer the question first (or skip it)" : ""}>
              {cur.commands.length ? "Run step" : "Finish"}
            </button>
            {needsAnswer && <span className="skip-hint"> predict first, or just run it</span>}
          </div>
        )}
        {done && (
          <div className="step finished" role="status">
            <p><b>Lesson complete.</b> Keep exploring: the console and the toolbar work on this cluster.</p>
            <div className="form-actions">
              <button type="button" onClick={() => void backToOwn(store)}>Back to my work</button>
              <button type="button" onClick={() => { keepScenario(store); store.getState().endLesson(); }}>Keep this scenario</button>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}

export function LessonsPanel() {
  const lesson = useSim((s) => s.lesson);
  const store = getAppStore();
  return (
    <section className="pane lessons-pane" aria-label="Lessons">
      <header className="pane-head">
        <h2>Lessons</h2>
        {lesson && <button type="button" onClick={() => void backToOwn(store)} title="Leave the lesson; your own session comes back">Exit lesson</button>}
        <button type="button" className="close" aria-label="Close lessons" onClick={() => store.getState().openPanel(null)}>×</button>
      </header>
      <div className="lessons-body">{lesson ? <LessonRun /> : <LessonList />}</div>
    </section>
  );
}
