import { describe, expect, it } from "vitest";
import { renderJsonPath, evalPath } from "../../../src/kubectl/jsonpath.ts";
import { jsonPatch, mergePatch, strategicMergePatch, threeWayMerge } from "../../../src/kubectl/patch.ts";
import { toYaml, toJson } from "../../../src/kubectl/output.ts";

const list = {
  kind: "List",
  items: [
    { metadata: { name: "a", labels: { app: "web" } }, spec: { containers: [{ name: "x", image: "nginx" }, { name: "y", image: "redis" }] }, status: { conditions: [{ type: "Ready", status: "True" }] } },
    { metadata: { name: "b" }, spec: { containers: [{ name: "z", image: "busybox" }] }, status: { conditions: [{ type: "Ready", status: "False" }] } },
  ],
};

describe("jsonpath templates (kubectl get -o jsonpath)", () => {
  it.each([
    { tpl: "{.items[*].metadata.name}", want: "a b" },
    { tpl: '{range .items[*]}{.metadata.name}{"\\n"}{end}', want: "a\nb\n" },
    { tpl: "{.items[0].spec.containers[*].image}", want: "nginx redis" },
    { tpl: "{.items[-1].metadata.name}", want: "b" },
    { tpl: '{.items[?(@.metadata.name=="b")].spec.containers[0].name}', want: "z" },
    { tpl: "{.items[*].status.conditions[?(@.type=='Ready')].status}", want: "True False" },
    { tpl: "{..image}", want: "nginx redis busybox" },
    { tpl: "{.items[0].metadata.labels}", want: '{"app":"web"}' },
    { tpl: "{.items[0].missing}", want: "" },
    { tpl: "names: {.items[0:1].metadata.name}!", want: "names: a!" },
    { tpl: "{range .items[*]}[{range .spec.containers[*]}{.name},{end}]{end}", want: "[x,y,][z,]" },
  ])("$tpl", ({ tpl, want }) => expect(renderJsonPath(tpl, list)).toBe(want));
  it("relaxed paths for sort-by and custom-columns", () => {
    expect(evalPath(".metadata.name", list.items[0])).toEqual(["a"]);
    expect(evalPath("{.metadata.name}", list.items[1])).toEqual(["b"]);
  });
});

describe("patches", () => {
  const dep = { spec: { replicas: 1, template: { spec: { containers: [{ name: "a", image: "nginx", env: [{ name: "X", value: "1" }] }, { name: "b", image: "redis" }] } } } };
  it("strategic merge: containers merge by name, env by name", () => {
    const r = strategicMergePatch(dep, { spec: { template: { spec: { containers: [{ name: "a", image: "nginx:2", env: [{ name: "Y", value: "2" }] }] } } } }) as any;
    expect(r.spec.template.spec.containers).toEqual([{ name: "a", image: "nginx:2", env: [{ name: "X", value: "1" }, { name: "Y", value: "2" }] }, { name: "b", image: "redis" }]);
  });
  it("strategic merge: $patch delete removes a keyed item", () => {
    const r = strategicMergePatch(dep, { spec: { template: { spec: { containers: [{ name: "b", $patch: "delete" }] } } } }) as any;
    expect(r.spec.template.spec.containers.map((c: any) => c.name)).toEqual(["a"]);
  });
  it("merge patch replaces lists and null deletes", () => {
    const r = mergePatch(dep, { spec: { replicas: null, template: { spec: { containers: [{ name: "c" }] } } } }) as any;
    expect(r.spec).toEqual({ template: { spec: { containers: [{ name: "c" }] } } });
  });
  it.each([
    { ops: [{ op: "replace", path: "/spec/replicas", value: 3 }], check: (r: any) => r.spec.replicas === 3 },
    { ops: [{ op: "add", path: "/spec/template/spec/containers/-", value: { name: "c" } }], check: (r: any) => r.spec.template.spec.containers.length === 3 },
    { ops: [{ op: "remove", path: "/spec/template/spec/containers/0" }], check: (r: any) => r.spec.template.spec.containers[0].name === "b" },
  ])("json patch $ops.0.op", ({ ops, check }) => expect(check(jsonPatch(dep, ops))).toBe(true));
  it("json patch: missing path errors like evanphx/json-patch", () => {
    expect(() => jsonPatch(dep, [{ op: "replace", path: "/spec/nope/x", value: 1 }])).toThrow('replace operation does not apply: doc is missing path: "/spec/nope/x": missing value');
  });
  it("apply 3-way: removed from manifest → removed; others' additions kept", () => {
    const live = { data: { a: "1", b: "2", byOther: "x" } };
    const last = { data: { a: "1", b: "2" } };
    expect(threeWayMerge(live, last, { data: { a: "1" } })).toEqual({ data: { a: "1", byOther: "x" } });
  });
});

describe("output formats", () => {
  it("-o yaml: sorted keys, block sequences unindented, go-yaml quoting", () => {
    expect(toYaml({ spec: { ports: [{ port: 80 }] }, metadata: { name: "x", creationTimestamp: "2025-01-01T00:00:00Z", labels: { v: "true", n: "80" } } })).toBe(
      'metadata:\n  creationTimestamp: "2025-01-01T00:00:00Z"\n  labels:\n    "n": "80"\n    v: "true"\n  name: x\nspec:\n  ports:\n  - port: 80\n');
  });
  it("-o json: 4-space indent, sorted, HTML-escaped", () => {
    expect(toJson({ b: "<a>", a: 1 })).toBe('{\n    "a": 1,\n    "b": "\\u003ca\\u003e"\n}\n');
  });
});
