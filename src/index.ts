/** The one import surface of the engine for app/ (and tests). */
export { createSimulation, Simulation, DEFAULT_START, type Ctx, type SimulationOptions } from "./simulation.ts";
export { Session, runScript, type HistoryEntry } from "./scenario/session.ts";
export { parseScript, formatCommand, type ScriptCommand } from "./scenario/script.ts";
export { runKubectl } from "./kubectl/index.ts";
export { podDisplayStatus, nodeStatusText, type PodDisplayStatus } from "./kubectl/printers/core.ts";
export { addNode, stopKubelet, startKubelet, failPod } from "./kubelet/node.ts";
export { getSchedulingDiagnosis, type Diagnosis } from "./scheduler/diagnosis.ts";
export type { KubeObject, Pod, Node, WatchEvent, ObjectKey } from "./api/types.ts";
export { keyOf } from "./api/types.ts";
export { humanDuration, age, rfc3339, parseGoDuration, formatGoDuration } from "./util/time.ts";
export { ApiError } from "./api/errors.ts";
export {
  encodeShare, parseShareHash, shareUrlLength, sharePayload, MAX_ENCODED as SHARE_MAX_ENCODED, MAX_DECODED as SHARE_MAX_DECODED,
  type SharePayload, type ShareView, type ShareParseResult, type ShareErrorKind,
} from "./scenario/share.ts";
export {
  replay, replayTo, forkAt, timelineMarks, scriptTimeline, transcriptOf, Replayer, advanceDuration, sessionFromShare, openShare, isObserverWait, isDeleteWait,
  type ReplayOptions, type ReplayTarget, type ReplayResult, type ActionMark,
} from "./scenario/replay.ts";
export {
  parseLesson, checkAnswer, lessonScriptUpTo, parseLessonIndex,
  type Lesson, type LessonStep, type LessonIndexEntry,
} from "./scenario/lessons.ts";
