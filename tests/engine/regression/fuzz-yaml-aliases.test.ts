/**
 * (regression) found by the YAML fuzzer (tests/fuzz): alias edge cases in `kubectl apply -f -`.
 * go-yaml (kubectl's decoder) rejects them with these messages; the engine used to overflow the stack on a
 * self-containing anchor and surface the yaml package's ReferenceError text for an unknown one.
 * Also: `kubectl delete -f -` with a document without metadata.name printed `pods "undefined" not found`.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/scenario/session.ts";

describe("(regression) fuzz: YAML aliases and nameless deletes", () => {
  it.each([
    ["anchor that contains itself", "a: &x\n  b: *x\n", "error: error parsing STDIN: error converting YAML to JSON: yaml: anchor 'x' value contains itself\n"],
    ["unknown anchor", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: *web\n", "error: error parsing STDIN: error converting YAML to JSON: yaml: unknown anchor 'web' referenced\n"],
  ])("apply: %s", (_n, doc, err) => {
    const s = new Session();
    const r = s.exec("kubectl apply -f - <<EOF", doc);
    expect(r).toEqual({ out: "", err, code: 1 });
  });

  it("apply: a shared (non-cyclic) anchor still works", () => {
    const s = new Session();
    const r = s.exec("kubectl apply -f - <<EOF", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: &l {app: x}\n  annotations: *l\n");
    expect(r.err).toBe("");
    expect(r.out).toBe("configmap/c created\n");
  });

  it("apply: a mapping where kind should be a string reads as `kind not set` (was kind \"[object Object]\")", () => {
    const s = new Session();
    const r = s.exec("kubectl apply -f - <<EOF", "apiVersion: batch/v1\nkind:\n  schedule: x\nmetadata:\n  name: c\n");
    expect(r.err).toBe(`error: error validating "STDIN": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n`);
    expect(r.code).toBe(1);
  });

  it("apply: .inf / an overflowing float has no JSON form (was Infinity in the store, then an invalid deletionTimestamp)", () => {
    const s = new Session();
    const r = s.exec("kubectl apply -f - <<EOF", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  terminationGracePeriodSeconds: 1e400\n  containers:\n  - name: c\n    image: nginx\n");
    expect(r).toEqual({ out: "", err: "error: error parsing STDIN: error converting YAML to JSON: json: unsupported value: +Inf\n", code: 1 });
  });

  it("delete -f: a mapping as metadata.name reads as an empty name (was cronjobs.batch \"[object Object]\")", () => {
    const s = new Session();
    const r = s.exec("kubectl delete -f - <<EOF", "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: {a: b}\n");
    expect(r.err).toBe(`error: error when deleting "STDIN": resource name may not be empty\n`);
  });

  it("delete -f: a document without a name", () => {
    const s = new Session();
    const r = s.exec("kubectl delete -f - <<EOF", "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\n");
    expect(r.err).toBe(`error: error when deleting "STDIN": resource name may not be empty\n`);
    expect(r.code).toBe(1);
  });
});
