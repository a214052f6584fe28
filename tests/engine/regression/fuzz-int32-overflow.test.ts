/**
 * (regression) found by the YAML fuzzer (tests/fuzz, target yaml, seed 20251123 #16): `replicas: 2147483648`.
 * Expected (encoding/json into an int32 field): the API server refuses the object, `json: cannot unmarshal
 * number 2147483648 into Go struct field ReplicaSetSpec.spec.replicas of type int32`, nothing is created.
 * Was: accepted, and the ReplicaSet controller created pods without end (the test worker ran out of memory).
 */
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/scenario/session.ts";

const rs = (replicas: string) => `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      terminationGracePeriodSeconds: 30\n      containers:\n      - name: nginx\n        image: nginx:1.25\n`;
const prefix = 'Error from server (BadRequest): error when creating "STDIN": ReplicaSet in version "v1" cannot be handled as a ReplicaSet: ';

describe("(regression) fuzz: numbers that do not fit an int32/int64 field", () => {
  it.each([
    ["2147483648", "json: cannot unmarshal number 2147483648 into Go struct field ReplicaSetSpec.spec.replicas of type int32"],
    ["-2147483649", "json: cannot unmarshal number -2147483649 into Go struct field ReplicaSetSpec.spec.replicas of type int32"],
    ["1.5", "json: cannot unmarshal number 1.5 into Go struct field ReplicaSetSpec.spec.replicas of type int32"],
  ])("(regression) replicas %s is refused: %s", (n, msg) => {
    const s = new Session();
    const r = s.exec("kubectl apply -f - <<EOF", rs(n));
    expect(r).toEqual({ out: "", err: `${prefix}${msg}\n`, code: 1 });
    expect(s.sim.store.list("ReplicaSet")).toHaveLength(0);
  });

  it("an int64 field takes a value beyond int32 (terminationGracePeriodSeconds 2147483648)", () => {
    const s = new Session();
    const r = s.exec("kubectl apply -f - <<EOF", rs("1").replace("terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 2147483648"));
    expect(r).toEqual({ out: "replicaset.apps/web created\n", err: "", code: 0 });
  });
});
