/**
 * (regression) soak, fast-check seed 400085: a DaemonSet deleted with --cascade=orphan and created again.
 * Expected (D12 history, ClaimControllerRevisions): the new DaemonSet adopts the orphaned pod and the orphaned
 * ControllerRevision of the same template (same name `<ds>-<hash>`), so DESIRED/CURRENT are 1 on the one
 * eligible node (D1). Was: creating the revision again failed with AlreadyExists on every sync, the controller
 * backed off forever and DESIRED stayed 0. The StatefulSet shares the revision code.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/scenario/session.ts";

const DS = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ds-b\nspec:\n  selector:\n    matchLabels:\n      app: ds-b\n  template:\n    metadata:\n      labels:\n        app: ds-b\n    spec:\n      nodeSelector:\n        disk: ssd\n      containers:\n      - name: app\n        image: httpd:2.4\n";
const STS = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n";

describe("(regression) soak seed 400085: recreate after --cascade=orphan adopts pods and revisions", () => {
  it.each([
    ["daemonset", "ds-b", DS, /^ds-b\s+1\s+1\s+1\s+1\s+1\s/m, "ds-b-"],
    ["statefulset", "web", STS, /^web\s+2\/2\s/m, "web-"],
  ])("(regression) %s", (kind, name, doc, row, revPrefix) => {
    const s = new Session();
    s.exec("sim node add n2 --label disk=ssd");
    s.exec("sim node add n3");
    s.exec("kubectl apply -f - <<EOF", doc);
    s.exec("sim advance 30s");
    const pods = s.sim.store.list("Pod").map((p) => p.metadata.name).sort();
    expect(s.exec(`kubectl delete ${kind} ${name} --cascade=orphan`).code).toBe(0);
    expect(s.exec("kubectl apply -f - <<EOF", doc).code).toBe(0);
    s.exec("sim advance 2m");
    expect(s.exec(`kubectl get ${kind} ${name} -o wide`).out).toMatch(row);
    expect(s.sim.store.list("Pod").map((p) => p.metadata.name).sort()).toEqual(pods);
    const revs = s.exec("kubectl get controllerrevisions").out;
    expect(revs).toMatch(new RegExp(`${revPrefix}\\w+\\s+${kind}\\.apps/${name}\\s+1\\s`));
    expect(s.sim.controllerErrors).toEqual([]);
  });
});
