import { describe, expect, it } from "vitest";
import { checkAnswer, lessonScriptUpTo, parseLesson, parseLessonIndex } from "../../../src/scenario/lessons.ts";

const LESSON = `# title: Demo lesson
# description: Shows the syntax.

# First paragraph,
# still the first.
#
# Second paragraph.
# ? How many nodes will there be? [2]
sim node add w1
sim node add w2

# Apply a manifest. Comments in the heredoc are YAML.
kubectl apply -f - <<EOF
# not narration
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
EOF
# ? Anything to say?
kubectl get cm

# What you learned: everything.
`;

describe("parseLesson", () => {
  const l = parseLesson(LESSON);

  it("reads title and description", () => {
    expect(l.title).toBe("Demo lesson");
    expect(l.description).toBe("Shows the syntax.");
  });

  it("splits steps at commented commands; uncommented commands join the step before", () => {
    expect(l.steps.map((s) => s.commands.map((c) => c.line))).toEqual([
      ["sim node add w1", "sim node add w2"],
      ["kubectl apply -f - <<EOF"],
      ["kubectl get cm"],
      [],
    ]);
    expect(l.steps.map((s) => s.firstCommand)).toEqual([0, 2, 3, 4]);
    expect(l.commands.length).toBe(4);
  });

  it("gives each step its 1-based line range (narration to last command line)", () => {
    expect(l.steps.map((s) => s.lines)).toEqual([[4, 10], [12, 19], [20, 21], [23, 23]]);
  });

  it("narration: paragraphs, questions and answers", () => {
    expect(l.steps[0]).toMatchObject({
      narration: "First paragraph,\nstill the first.\n\nSecond paragraph.",
      question: "How many nodes will there be?",
      answer: "2",
    });
    expect(l.steps[1]!.narration).toBe("Apply a manifest. Comments in the heredoc are YAML.");
    expect(l.steps[1]!.question).toBeUndefined();
    expect(l.steps[1]!.commands[0]!.stdin).toContain("# not narration");
    expect(l.steps[2]).toMatchObject({ narration: "", question: "Anything to say?" });
    expect(l.steps[2]!.answer).toBeUndefined();
    expect(l.steps[3]).toMatchObject({ narration: "What you learned: everything.", commands: [] });
  });

  it("a script with no comments is one step; metadata after the first command is narration", () => {
    const p = parseLesson("sim node add w1\n# title: not a title\nkubectl get nodes\n");
    expect(p.title).toBe("");
    expect(p.steps.map((s) => s.narration)).toEqual(["", "title: not a title"]);
  });

  it("lessonScriptUpTo gives the commands of the first steps", () => {
    expect(lessonScriptUpTo(l, 0)).toBe("sim node add w1\nsim node add w2\n");
    expect(lessonScriptUpTo(l, 1)).toBe("sim node add w1\nsim node add w2\nkubectl apply -f - <<EOF\n# not narration\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nEOF\n");
    expect(lessonScriptUpTo(l, -1)).toBe("");
  });
});

describe("checkAnswer", () => {
  it.each([
    { expected: "3", given: "3", ok: true },
    { expected: "3", given: " 03 ", ok: true },
    { expected: "3", given: "three", ok: false },
    { expected: "3|three", given: "Three.", ok: true },
    { expected: "Pending", given: "pending", ok: true },
    { expected: "Running", given: "Pending", ok: false },
    { expected: "w1, w2", given: "W1,  w2", ok: true },
    { expected: "", given: "anything", ok: true },
    { expected: undefined, given: "", ok: true },
    { expected: "2", given: "", ok: false },
    { expected: "5m50s", given: "5m50s", ok: true },
  ])("$expected vs $given → $ok", ({ expected, given, ok }) => {
    expect(checkAnswer(expected, given)).toBe(ok);
  });
});

describe("parseLessonIndex", () => {
  it("accepts a good index and rejects bad ones", () => {
    expect(parseLessonIndex([{ id: "a-b", title: "T", description: "" }])).toEqual([{ id: "a-b", title: "T", description: "" }]);
    expect(() => parseLessonIndex({})).toThrow(/array/);
    expect(() => parseLessonIndex([{ id: "A B", title: "T", description: "" }])).toThrow(/id/);
    expect(() => parseLessonIndex([{ id: "a", title: "T", description: "" }, { id: "a", title: "U", description: "" }])).toThrow(/duplicate/);
    expect(() => parseLessonIndex([{ id: "a", title: "", description: "" }])).toThrow(/title/);
  });
});
