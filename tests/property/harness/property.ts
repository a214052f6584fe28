/**
 * The fast-check property shared by the Vitest suite and the soak: a random sequence runs with every
 * invariant checked after every step; on failure fast-check shrinks the action list and we report the
 * shrunk sequence as a script.
 */
import fc from "fast-check";
import { type Action, sequenceArb, type Sequence } from "./actions.ts";
import { describeFailure, runSequence } from "./run.ts";

export class InvariantFailure extends Error {
  constructor(readonly script: string, readonly fact: string, message: string) {
    super(message);
  }
}

export function sequenceProperty(opts: { maxLength?: number; determinismEvery?: number; actions?: fc.Arbitrary<Action>; initial?: fc.Arbitrary<Action> } = {}) {
  let n = 0;
  return fc.property(sequenceArb(opts.maxLength, opts.actions, opts.initial), (seq: Sequence) => {
    const r = runSequence(seq, { stopAtFirst: true });
    if (r.violations.length) throw new InvariantFailure(r.script, r.violations[0]!.fact, describeFailure(r));
    // Same seed ⇒ same transcript (byte for byte): re-run every k-th sequence.
    const every = opts.determinismEvery ?? 5;
    if (every > 0 && n++ % every === 0) {
      const again = runSequence(seq);
      if (again.transcript !== r.transcript) {
        throw new InvariantFailure(r.script, "DET", `same seed gave a different transcript\n--- first ---\n${r.transcript}\n--- second ---\n${again.transcript}`);
      }
    }
  });
}

export { runSequence, describeFailure };
