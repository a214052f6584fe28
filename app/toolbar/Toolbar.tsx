/** Top bar: node/pod actions on the selection, and the virtual clock. Every action is a script line. */
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { formatGoDuration, rfc3339 } from "../../src/index.ts";
import { getAppStore, useSim, type Speed } from "../store/simStore.ts";
import {
  addNodeLine, cordonLine, deleteNodeLine, deletePodLine, drainLine, failPodLine, nextNodeName, startLine, stopLine,
  taintLine, uncordonLine, untaintLine, type AddNodeForm,
} from "./commands.ts";

type Popover = "addNode" | "taint" | "fail" | null;

function run(line: string) {
  void getAppStore().getState().exec(line, undefined, "button");
}

function Btn(props: { name: string; keys?: string; tip: string; onClick: () => void; disabled?: boolean; className?: string; pressed?: boolean }) {
  return (
    <button type="button" className={props.className ?? ""} onClick={props.onClick} disabled={props.disabled}
      title={`${props.tip}${props.keys ? ` (${props.keys})` : ""}`} {...(props.keys ? { "aria-keyshortcuts": props.keys } : {})}
      {...(props.pressed !== undefined ? { "aria-pressed": props.pressed } : {})}>
      {props.name}
    </button>
  );
}

function Pop({ label, children, onClose }: { label: string; children: ReactNode; onClose: () => void }) {
  useEffect(() => {
    const k = (e: KeyboardEvent) => { if (e.key === "Escape") onClose(); };
    window.addEventListener("keydown", k);
    return () => window.removeEventListener("keydown", k);
  }, [onClose]);
  return <div className="popover" role="dialog" aria-label={label}>{children}</div>;
}

function AddNodePopover({ onClose }: { onClose: () => void }) {
  const names = useSim((s) => s.snapshot.nodes.map((n) => n.name).join(","));
  const [f, setF] = useState<AddNodeForm>(() => ({ name: nextNodeName(names.split(",")), cpu: "4", memory: "8Gi", pods: "110", labels: "", taints: "" }));
  const field = (k: keyof AddNodeForm, label: string, ph: string) => (
    <label>{label}<input value={f[k]} placeholder={ph} onChange={(e) => setF({ ...f, [k]: e.target.value })} name={k} /></label>
  );
  const submit = (e: FormEvent) => { e.preventDefault(); if (!f.name.trim()) return; run(addNodeLine(f)); onClose(); };
  return (
    <Pop label="Add node" onClose={onClose}>
      <form onSubmit={submit} className="form-grid">
        {field("name", "Name", "w3")}
        {field("cpu", "CPU", "4")}
        {field("memory", "Memory", "8Gi")}
        {field("pods", "Max pods", "110")}
        {field("labels", "Labels", "disk=ssd zone=a")}
        {field("taints", "Taints", "k=v:NoSchedule")}
        <div className="form-actions"><button type="submit" className="primary">Add</button><button type="button" onClick={onClose}>Cancel</button></div>
        <code className="preview">{addNodeLine(f)}</code>
      </form>
    </Pop>
  );
}

function TaintPopover({ node, onClose }: { node: string; onClose: () => void }) {
  const taints = useSim((s) => s.snapshot.nodes.find((n) => n.name === node)?.taints ?? []);
  const [spec, setSpec] = useState("maintenance=true:NoExecute");
  const valid = /^[^=:\s]+(=[^:\s]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$/.test(spec.trim());
  return (
    <Pop label="Taint node" onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); if (valid) { run(taintLine(node, spec)); onClose(); } }} className="form-grid">
        <label>Taint on {node}<input name="taint" value={spec} onChange={(e) => setSpec(e.target.value)} placeholder="key=value:NoExecute" /></label>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!valid}>Add taint</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
        {taints.length > 0 && (
          <ul className="taint-list" aria-label="Current taints">
            {taints.map((t) => {
              const s = `${t.key}${t.value ? "=" + t.value : ""}:${t.effect}`;
              return <li key={s}><code>{s}</code><button type="button" onClick={() => run(untaintLine(node, s))} aria-label={`Remove taint ${s}`}>Remove</button></li>;
            })}
          </ul>
        )}
        <code className="preview">{valid ? taintLine(node, spec) : "key[=value]:NoSchedule|PreferNoSchedule|NoExecute"}</code>
      </form>
    </Pop>
  );
}

function FailPopover({ onClose }: { onClose: () => void }) {
  const sel = useSim((s) => s.selected);
  const [code, setCode] = useState("1");
  if (!sel || sel.kind !== "Pod") return null;
  const n = Number(code);
  const ok = Number.isInteger(n) && n >= 0 && n <= 255;
  return (
    <Pop label="Fail pod" onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); if (ok) { run(failPodLine(sel, n)); onClose(); } }} className="form-grid">
        <label>Exit code for {sel.name}<input name="exitCode" value={code} onChange={(e) => setCode(e.target.value)} inputMode="numeric" /></label>
        <div className="form-actions"><button type="submit" className="primary" disabled={!ok}>Fail</button><button type="button" onClick={onClose}>Cancel</button></div>
        <code className="preview">{ok ? failPodLine(sel, n) : "exit code 0–255"}</code>
      </form>
    </Pop>
  );
}

function Clock() {
  const now = useSim((s) => s.snapshot.now);
  const start = useSim((s) => s.snapshot.start);
  return (
    <span className="clock" aria-label="Virtual time" title="Virtual time (the cluster's clock)">
      <span className="clock-time">{rfc3339(now).replace("T", " ").replace("Z", " UTC")}</span>
      <span className="clock-elapsed">T+{formatGoDuration(Math.max(0, now - start)).replace(/(\d+m)0s$/, "$1").replace(/(\d+h)0m$/, "$1")}</span>
    </span>
  );
}

export function Toolbar() {
  const sel = useSim((s) => s.selected);
  const playing = useSim((s) => s.playing);
  const speed = useSim((s) => s.speed);
  const node = useSim((s) => (s.selected?.kind === "Node" ? s.snapshot.nodes.find((n) => n.name === s.selected!.name) : undefined));
  const [pop, setPop] = useState<Popover>(null);
  const isPod = sel?.kind === "Pod";
  const st = getAppStore().getState;

  const actions: Record<string, () => void> = {
    addNode: () => setPop(pop === "addNode" ? null : "addNode"),
    taint: () => node && setPop(pop === "taint" ? null : "taint"),
    cordon: () => node && run(cordonLine(node.name)),
    uncordon: () => node && run(uncordonLine(node.name)),
    drain: () => node && run(drainLine(node.name)),
    stop: () => node && run(stopLine(node.name)),
    start: () => node && run(startLine(node.name)),
    deleteNode: () => node && run(deleteNodeLine(node.name)),
    fail: () => isPod && setPop(pop === "fail" ? null : "fail"),
    deletePod: () => sel && isPod && run(deletePodLine(sel)),
    a1: () => st().advance(1000),
    a10: () => st().advance(10_000),
    a60: () => st().advance(60_000),
    play: () => st().togglePlay(),
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.closest("input, textarea, select, [contenteditable], .monaco-editor, .console"))) return;
      const map: Record<string, keyof typeof actions> = {
        n: "addNode", t: "taint", c: "cordon", u: "uncordon", d: "drain", s: "stop", k: "start", f: "fail",
        "1": "a1", "2": "a10", "3": "a60", p: "play", Delete: isPod ? "deletePod" : "deleteNode",
      };
      const a = map[e.key];
      if (a) { e.preventDefault(); actions[a]!(); }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const noNode = !node;
  return (
    <header className="toolbar" role="toolbar" aria-label="Cluster controls">
      <h1 className="brand">kubeplay</h1>
      <div className="group" aria-label="Node actions" role="group">
        <Btn name="Add node" keys="N" tip="Add a node (sim node add)" onClick={actions.addNode!} pressed={pop === "addNode"} />
        <Btn name="Taint node" keys="T" tip="Add or remove a taint on the selected node" onClick={actions.taint!} disabled={noNode} />
        <Btn name="Cordon" keys="C" tip="kubectl cordon the selected node" onClick={actions.cordon!} disabled={noNode || node?.cordoned} />
        <Btn name="Uncordon" keys="U" tip="kubectl uncordon the selected node" onClick={actions.uncordon!} disabled={noNode || !node?.cordoned} />
        <Btn name="Drain" keys="D" tip="kubectl drain --ignore-daemonsets --force" onClick={actions.drain!} disabled={noNode} />
        <Btn name="Stop kubelet" keys="S" tip="The kubelet stops posting status (sim node stop)" onClick={actions.stop!} disabled={noNode || !node?.kubeletRunning} />
        <Btn name="Start kubelet" keys="K" tip="The kubelet comes back (sim node start)" onClick={actions.start!} disabled={noNode || node?.kubeletRunning} />
        <Btn name="Delete node" keys="Delete" tip="kubectl delete node" onClick={actions.deleteNode!} disabled={noNode} className="danger" />
      </div>
      <div className="group" aria-label="Pod actions" role="group">
        <Btn name="Fail pod" keys="F" tip="The selected pod's container exits now (sim pod fail)" onClick={actions.fail!} disabled={!isPod} />
        <Btn name="Delete pod" keys="Delete" tip="kubectl delete pod" onClick={actions.deletePod!} disabled={!isPod} className="danger" />
      </div>
      <div className="group clock-group" aria-label="Clock" role="group">
        <Btn name="Advance 1s" keys="1" tip="sim advance 1s" onClick={actions.a1!} />
        <Btn name="Advance 10s" keys="2" tip="sim advance 10s" onClick={actions.a10!} />
        <Btn name="Advance 1m" keys="3" tip="sim advance 1m" onClick={actions.a60!} />
        <Btn name={playing ? "Pause" : "Play"} keys="P" tip={playing ? "Stop the clock" : "Run the clock continuously"} onClick={actions.play!} className={playing ? "playing" : "primary-ghost"} />
        <select aria-label="Speed" value={speed} onChange={(e) => st().setSpeed(Number(e.target.value) as Speed)} title="Play speed">
          <option value={1}>1×</option>
          <option value={10}>10×</option>
          <option value={60}>60×</option>
        </select>
        <Clock />
      </div>
      {pop === "addNode" && <AddNodePopover onClose={() => setPop(null)} />}
      {pop === "taint" && node && <TaintPopover node={node.name} onClose={() => setPop(null)} />}
      {pop === "fail" && <FailPopover onClose={() => setPop(null)} />}
    </header>
  );
}
