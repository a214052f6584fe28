import { describe, expect, it } from "vitest";
import { deleteLine, fieldLine, mapErrors, parseDocuments, planApply } from "../../app/editor/applyPlan.ts";

const TWO = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: team-a
data:
  a: "1"
`;

describe("parseDocuments", () => {
  it("splits multi-document YAML with line ranges and identities", () => {
    const docs = parseDocuments(TWO);
    expect(docs.map((d) => [d.kind, d.name, d.namespace, d.startLine, d.endLine])).toEqual([
      ["Deployment", "web", "", 1, 15],
      ["ConfigMap", "cfg", "team-a", 17, 23],
    ]);
    expect(docs.every((d) => d.syntaxErrors.length === 0)).toBe(true);
  });
  it("reports a syntax error on the right line", () => {
    const docs = parseDocuments("kind: Pod\nmetadata:\n  name: [oops\n");
    expect(docs[0]!.syntaxErrors.length).toBeGreaterThan(0);
    expect(docs[0]!.syntaxErrors[0]!.line).toBeGreaterThanOrEqual(3);
  });
});

describe("planApply", () => {
  const cases = [
    { name: "sends the whole text when clean", text: TWO, schema: [], prev: [], want: { blocked: 0, apply: true, deletes: [] as string[] } },
    { name: "a schema problem blocks the apply (cluster untouched)", text: TWO, schema: [{ line: 6, message: "Incorrect type" }], prev: [], want: { blocked: 1, apply: false, deletes: [] } },
    {
      name: "objects removed from the editor are deleted on the next apply",
      text: TWO, schema: [], prev: [{ kind: "Deployment", name: "old", namespace: "default" }, { kind: "ConfigMap", name: "cfg", namespace: "team-a" }],
      want: { blocked: 0, apply: true, deletes: ["kubectl delete deployment old"] },
    },
    {
      name: "an emptied editor deletes what it applied and applies nothing",
      text: "# nothing\n", schema: [], prev: [{ kind: "DaemonSet", name: "fluentd", namespace: "kube-system" }],
      want: { blocked: 0, apply: false, deletes: ["kubectl delete daemonset fluentd -n kube-system"] },
    },
  ];
  it.each(cases)("$name", ({ text, schema, prev, want }) => {
    const p = planApply(text, parseDocuments(text), schema, prev);
    expect(p.blocked.length).toBe(want.blocked);
    expect(p.applyText !== null).toBe(want.apply);
    expect(p.deletes).toEqual(want.deletes);
  });
  it("a broken document blocks everything and deletes nothing", () => {
    const text = TWO + "---\nkind: Pod\nmetadata: {name: [x\n";
    const p = planApply(text, parseDocuments(text), [], [{ kind: "Deployment", name: "gone", namespace: "default" }]);
    expect(p.blocked.length).toBeGreaterThan(0);
    expect(p.applyText).toBeNull();
    expect(p.deletes).toEqual([]);
  });
});

describe("mapErrors", () => {
  const docs = parseDocuments(TWO);
  it.each([
    { name: "invalid object → its document and field line", err: `The Deployment "web" is invalid: spec.template.spec.containers[0].image: Required value`, doc: 0, line: 15 },
    { name: "kubectl's error-when-creating form", err: `Error from server (Invalid): error when creating "STDIN": Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1`, doc: 0, line: 6 },
    { name: "resource mapping error names the object", err: `error: resource mapping not found for name: "cfg" namespace: "team-a" from "STDIN": no matches for kind "ConfigMap" in version "v2"`, doc: 1, line: 17 },
  ])("$name", ({ err, doc, line }) => {
    const [e] = mapErrors(err, docs);
    expect(e).toMatchObject({ doc, line });
  });
  it("keeps `* field: …` continuation lines with their head", () => {
    const errs = mapErrors(`The Deployment "web" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value`, docs);
    expect(errs).toHaveLength(1);
    expect(errs[0]!.line).toBe(7);
  });
  it("fieldLine falls back to the document start", () => {
    expect(fieldLine(docs[1]!, "something odd")).toBe(17);
  });
});

describe("deleteLine", () => {
  it.each([
    [{ kind: "Deployment", name: "web", namespace: "default" }, "kubectl delete deployment web"],
    [{ kind: "CronJob", name: "nightly", namespace: "batch" }, "kubectl delete cronjob nightly -n batch"],
    [{ kind: "Namespace", name: "team-a", namespace: "" }, "kubectl delete namespace team-a"],
  ])("%j → %s", (id, line) => expect(deleteLine(id)).toBe(line));
});
