/** Apply the editor text through the session (the side-effecting half of applyPlan.ts). */
import type { SimStore } from "../store/simStore.ts";
import { mapErrors, parseDocuments, planApply, type DocError, type ObjId, idString, objId } from "./applyPlan.ts";

export const APPLY_LINE = "kubectl apply -f - <<EOF";

export async function applyEditorText(store: SimStore, text: string, schemaProblems: Array<{ line: number; message: string }>): Promise<void> {
  const st = store.getState();
  const docs = parseDocuments(text);
  const plan = planApply(text, docs, schemaProblems, st.appliedIds);
  if (plan.blocked.length) {
    const first = plan.blocked[0]!;
    const n = plan.blocked.length;
    st.setApplyResult({
      status: { state: "blocked", text: `Not applied — ${n} problem${n > 1 ? "s" : ""}; line ${first.line}: ${first.message}` },
      errors: [],
    });
    return;
  }
  const outs: string[] = [];
  let errors: DocError[] = [];
  const errTexts: string[] = [];
  if (plan.applyText !== null) {
    const r = await st.exec(APPLY_LINE, plan.applyText, "editor");
    if (r.out) outs.push(...r.out.trim().split("\n"));
    if (r.err) { errTexts.push(r.err.trim()); errors = mapErrors(r.err, docs); }
  }
  for (const line of plan.deletes) {
    const r = await st.exec(line, undefined, "editor");
    if (r.out) outs.push(...r.out.trim().split("\n"));
    if (r.err) errTexts.push(r.err.trim());
  }
  // Objects whose document failed stay "from the editor" only if they were applied before.
  const failed = new Set(errors.map((e) => e.doc));
  const prev = new Set(st.appliedIds.map(idString));
  const appliedIds: ObjId[] = docs
    .filter((d) => !d.empty && d.kind && d.name)
    .filter((d) => !failed.has(d.index) || prev.has(idString(objId(d))))
    .map(objId);
  if (errTexts.length) {
    // Like kubectl: the good documents were applied; say so next to what failed.
    const text = [...(outs.length ? [outs.join(" · ")] : []), ...errTexts].join("\n");
    st.setApplyResult({ status: { state: "error", text }, errors, appliedIds });
  } else {
    const n = outs.length;
    st.setApplyResult({
      status: { state: "ok", text: n ? outs.join(" · ") : "nothing to apply" },
      errors: [],
      appliedIds,
    });
  }
}
