/**
 * Replay cost at classroom size (20 nodes, a 200-replica Deployment rolled once, 30 × 10s steps).
 * Slow (seconds), so it runs only with REPLAY_BENCH=1:
 *   REPLAY_BENCH=1 npx vitest run tests/engine/replay/classroom-bench.test.ts
 */
import { describe, expect, it } from "vitest";
import { replayTo, Replayer, scriptTimeline, transcriptOf } from "../../../src/scenario/replay.ts";

function classroom(): string {
  let s = "";
  for (let i = 0; i < 20; i++) s += `sim node add w${i} --cpu 8 --memory 16Gi\n`;
  const dep = (img: string) => [
    "kubectl apply -f - <<EOF", "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: web", "spec:",
    "  replicas: 200", "  selector:", "    matchLabels: {app: web}", "  template:", "    metadata:", "      labels: {app: web}",
    "    spec:", "      containers:", "      - name: nginx", `        image: ${img}`, "EOF", "",
  ].join("\n");
  s += dep("nginx:1.25");
  for (let i = 0; i < 30; i++) {
    s += "sim advance 10s\nkubectl get deploy web\n";
    if (i === 10) s += dep("nginx:1.26");
  }
  return s;
}

describe.skipIf(process.env.REPLAY_BENCH !== "1")("replay at classroom size", () => {
  it("full run, forward scrub, backward scrub with and without checkpoints", { timeout: 600_000 }, () => {
    const script = classroom();
    const ms = (f: () => void) => { const t = performance.now(); f(); return Math.round(performance.now() - t); };
    let tl!: ReturnType<typeof scriptTimeline>;
    const full = ms(() => { tl = scriptTimeline(script); });
    const at = (k: number) => tl.start + Math.round(((tl.end - tl.start) * k) / 60);
    const plain = new Replayer(script, {}, { checkpoints: 0 });
    const fwd = ms(() => { for (let k = 0; k <= 60; k++) plain.seek({ at: at(k) }); });
    const back = ms(() => { for (let k = 60; k >= 50; k -= 2) plain.seek({ at: at(k) }); });
    const warmed = new Replayer(script, {}, { checkpoints: 4 });
    warmed.seek({ at: at(60) });
    const warm = ms(() => { while (warmed.warm()); });
    const backCp = ms(() => { for (let k = 60; k >= 50; k -= 2) warmed.seek({ at: at(k) }); });
    console.log([
      `full run: ${full} ms (${tl.marks.length} commands, ${tl.session.sim.store.count("Pod")} pods)`,
      `61 forward seeks: ${fwd} ms`,
      `6 backward seeks, no checkpoints: ${back} ms (${plain.stats.rebuilds} rebuilds)`,
      `warming 4 checkpoints: ${warm} ms`,
      `6 backward seeks with checkpoints: ${backCp} ms (${JSON.stringify(warmed.stats)})`,
    ].join("\n"));
    expect(transcriptOf(warmed.seek({ at: at(30) }))).toBe(transcriptOf(replayTo(script, {}, { at: at(30) })));
  });
});
