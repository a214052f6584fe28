/**
 * (regression) found by the kubectl fuzzer (seed 6 #334): `kubectl patch deployment web -p w1 '{…}'`.
 * A strategic or merge patch that is not a JSON object: the API server decodes it into
 * map[string]interface{} and answers BadRequest; JSON null is an empty patch.
 * Was: `error: unknown kind undefined` (the patched object became a string) or a TypeError for null.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/scenario/session.ts";

const bad = (t: string) => `Error from server (BadRequest): json: cannot unmarshal ${t} into Go value of type map[string]interface {}\n`;

describe("(regression) fuzz: kubectl patch with a patch that is not an object", () => {
  it.each([
    ["-p w1", { out: "", err: bad("string"), code: 1 }],
    ["-p '[1,2]'", { out: "", err: bad("array"), code: 1 }],
    ["--type merge -p '\"x\"'", { out: "", err: bad("string"), code: 1 }],
    ["-p 5", { out: "", err: bad("number"), code: 1 }],
    ["-p true", { out: "", err: bad("bool"), code: 1 }],
    ["-p null", { out: "deployment.apps/web patched (no change)\n", err: "", code: 0 }],
  ])("(regression) kubectl patch deployment web %s", (flags, want) => {
    const s = new Session();
    s.exec("kubectl create deployment web --image=nginx");
    const before = JSON.stringify(s.sim.store.get("Deployment", "default", "web"));
    expect(s.exec(`kubectl patch deployment web ${flags}`)).toEqual(want);
    expect(JSON.stringify(s.sim.store.get("Deployment", "default", "web"))).toBe(before);
  });
});
