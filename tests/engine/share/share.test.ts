import { describe, expect, it } from "vitest";
import { deflateSync } from "fflate";
import {
  base64urlDecode, base64urlEncode, encodeShare, inflateCapped, MAX_DECODED, MAX_ENCODED, parseShareHash,
  shareUrlLength, YEAR_MS, type SharePayload,
} from "../../../src/scenario/share.ts";

const T0 = Date.UTC(2025, 0, 1);

/** The default scenario the app opens with: 3 nodes (one a tainted control plane) + the fluentd DaemonSet. */
const DEFAULT_SCENARIO = `sim node add cp --taint node-role.kubernetes.io/control-plane:NoSchedule --label node-role.kubernetes.io/control-plane=
sim node add w1 --cpu 4 --memory 8Gi
sim node add w2 --cpu 4 --memory 8Gi
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd-elasticsearch
  namespace: kube-system
  labels:
    k8s-app: fluentd-logging
spec:
  selector:
    matchLabels:
      name: fluentd-elasticsearch
  template:
    metadata:
      labels:
        name: fluentd-elasticsearch
    spec:
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      containers:
      - name: fluentd-elasticsearch
        image: quay.io/fluentd_elasticsearch/fluentd:v2.5.2
        resources:
          limits:
            memory: 200Mi
          requests:
            cpu: 100m
            memory: 200Mi
        volumeMounts:
        - name: varlog
          mountPath: /var/log
      terminationGracePeriodSeconds: 30
      volumes:
      - name: varlog
        hostPath:
          path: /var/log
EOF
sim advance 30s
`;

const payload = (over: Partial<SharePayload> = {}): SharePayload => ({ v: 1, script: DEFAULT_SCENARIO, seed: 1, startTime: T0, at: T0 + 30_000, ...over });

/** Build a `#s=1.` link around arbitrary JSON (bypassing encodeShare's own checks). */
function rawLink(json: string): string {
  return "#s=1." + base64urlEncode(deflateSync(new TextEncoder().encode(json)));
}

describe("share link codec", () => {
  it("round-trips a payload, view included", () => {
    const p = payload({ view: { selected: "Pod/kube-system/fluentd-elasticsearch-x", panel: "describe", zoom: 0.75, x: -10, y: 20.5, lesson: "daemonset-fluentd", step: 3 } });
    const h = encodeShare(p);
    expect(h.startsWith("#s=1.")).toBe(true);
    expect(h).toMatch(/^#s=1\.[A-Za-z0-9_-]+$/);
    expect(parseShareHash(h)).toEqual({ ok: true, payload: p });
    expect(parseShareHash(h.slice(1))).toEqual({ ok: true, payload: p });
    expect(parseShareHash(`#foo=bar&${h.slice(1)}&x=1`)).toEqual({ ok: true, payload: p });
  });

  it("keeps non-ASCII script text (UTF-8)", () => {
    const p = payload({ script: "# 每个节点运行一个 pod — ünïcödé 🚀\nsim node add w1\n" });
    expect(parseShareHash(encodeShare(p))).toEqual({ ok: true, payload: p });
  });

  it("the default scenario link is under 1,000 characters", () => {
    const url = "https://kubeplay.example.org/playground/";
    const n = shareUrlLength(payload(), url);
    expect(n).toBeLessThan(1000);
    expect(n).toBe(url.length + encodeShare(payload()).length);
  });

  // Old formats keep decoding: this literal was produced by the first v1 encoder. Never change it.
  it("decodes a pinned v1 link", () => {
    const pinned = "#s=1.PY5BDoIwEEWv0sxaBEIAbeLOI7hkU9qRNLZTAgVUwt0dTHRWk5_89_4KM8j8AKMebB9Bwmi9oGBQKGPEkjf0mFrU0Qk9oIooDPYuvDxSFAu2IkmsVx1eqLP0bGhvKzMr0iiKbGwIGI1oQNb8RDXEm_XIxrooq9O5yvY7gGLzL8rLbzRbXECu3Has3wlw_atTg3c1uZjyBDa8Q_AMOJbb9gE";
    expect(parseShareHash(pinned)).toEqual({
      ok: true,
      payload: {
        v: 1, seed: 7, startTime: T0, at: T0 + 15_000,
        script: "sim node add w1\nkubectl create deployment web --image=nginx\nsim advance 30s\n",
        view: { selected: "Deployment/default/web", zoom: 1.5 },
      },
    });
  });

  it.each([
    { name: "empty hash", hash: "", kind: "none" },
    { name: "just #", hash: "#", kind: "none" },
    { name: "other params only", hash: "#y=abc&z", kind: "none" },
    { name: "empty s=", hash: "#s=", kind: "none" },
    { name: "no version", hash: "#s=abcdef", kind: "corrupt" },
    { name: "future version", hash: "#s=2.abcdef", kind: "unsupported" },
    { name: "bad base64 char", hash: "#s=1.ab$cd", kind: "corrupt" },
    { name: "bad base64 length", hash: "#s=1.abcde", kind: "corrupt" },
    { name: "not deflate", hash: "#s=1." + base64urlEncode(new Uint8Array([255, 255, 255, 255, 1, 2, 3])), kind: "corrupt" },
  ])("rejects $name as $kind", ({ hash, kind }) => {
    const r = parseShareHash(hash);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.kind).toBe(kind);
  });

  it("truncated link: clear message", () => {
    const h = encodeShare(payload());
    for (const cut of [1, 5, 40, Math.floor(h.length / 2)]) {
      const r = parseShareHash(h.slice(0, h.length - cut));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/^This link is (truncated or corrupt|not a valid kubeplay scenario) \(/);
    }
    const r = parseShareHash(h.slice(0, h.length - 40));
    expect(r).toMatchObject({ ok: false, kind: "corrupt", error: "This link is truncated or corrupt (the data ends too early)." });
  });

  it("rejects an encoded text over 64 KiB before decoding it", () => {
    const r = parseShareHash("#s=1." + "A".repeat(MAX_ENCODED + 10));
    expect(r).toEqual({ ok: false, kind: "too-large", error: "This link is too large (65 KiB > 64 KiB)." });
  });

  it("stops a compression bomb at the 2 MiB cap", () => {
    // Deflate tops out near 1032:1, so a link under the 64 KiB limit still expands to ~45 MiB.
    const bomb = deflateSync(new Uint8Array(45 * 1024 * 1024).fill(32), { level: 9 });
    const link = "#s=1." + base64urlEncode(bomb);
    expect(link.length).toBeLessThan(MAX_ENCODED);
    const before = process.memoryUsage().arrayBuffers;
    const r = parseShareHash(link);
    expect(r).toEqual({ ok: false, kind: "too-large", error: "This link is too large (it expands to more than 2048 KiB)." });
    // Far less than the 45 MiB the bomb would expand to.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });

  it("inflateCapped: exactly at the cap passes, one byte over fails", () => {
    const data = new Uint8Array(5000).fill(7);
    const z = deflateSync(data);
    expect(inflateCapped(z, 5000)).toMatchObject({ ok: true });
    expect(inflateCapped(z, 4999)).toMatchObject({ ok: false, tooLarge: true });
    expect(MAX_DECODED).toBe(2 * 1024 * 1024);
  });

  it("drops __proto__/constructor/prototype keys (no prototype pollution)", () => {
    const json = `{"v":1,"script":"x","seed":1,"startTime":${T0},"at":${T0},"__proto__":{"polluted":true},"view":{"zoom":2,"constructor":{"prototype":{"polluted":true}},"__proto__":{"polluted":true}}}`;
    const r = parseShareHash(rawLink(json));
    expect(r).toEqual({ ok: true, payload: { v: 1, script: "x", seed: 1, startTime: T0, at: T0, view: { zoom: 2 } } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (r.ok) expect(Object.getPrototypeOf(r.payload)).toBe(Object.prototype);
  });

  const base = { v: 1, script: "sim node add w1\n", seed: 1, startTime: T0, at: T0 };
  it.each([
    { name: "array", json: "[]", why: "not an object" },
    { name: "null", json: "null", why: "not an object" },
    // fuzz (share seed 20261125 #1211): printed "unknown payload version undefined"
    { name: "v missing", json: JSON.stringify({ ...base, v: undefined }), why: "the payload has no version" },
    { name: "v as string", json: JSON.stringify({ ...base, v: "1" }), why: "unknown payload version" },
    { name: "script number", json: JSON.stringify({ ...base, script: 5 }), why: "script must be text" },
    { name: "seed negative", json: JSON.stringify({ ...base, seed: -1 }), why: "seed" },
    { name: "seed fraction", json: JSON.stringify({ ...base, seed: 1.5 }), why: "seed" },
    { name: "seed > uint32", json: JSON.stringify({ ...base, seed: 2 ** 32 }), why: "seed" },
    { name: "seed string", json: JSON.stringify({ ...base, seed: "1" }), why: "seed" },
    { name: "startTime huge", json: JSON.stringify({ ...base, startTime: 1e300, at: 1e300 }), why: "startTime" },
    { name: "startTime negative", json: JSON.stringify({ ...base, startTime: -5, at: 0 }), why: "startTime" },
    { name: "at before start", json: JSON.stringify({ ...base, at: T0 - 1 }), why: "at is before startTime" },
    { name: "at after a year", json: JSON.stringify({ ...base, at: T0 + YEAR_MS + 1 }), why: "at is more than a year after startTime" },
    { name: "at fraction", json: JSON.stringify({ ...base, at: T0 + 0.5 }), why: "at must be" },
    { name: "view array", json: JSON.stringify({ ...base, view: [] }), why: "view must be an object" },
    { name: "view.zoom string", json: JSON.stringify({ ...base, view: { zoom: "2" } }), why: "view.zoom" },
    { name: "view.zoom 0", json: JSON.stringify({ ...base, view: { zoom: 0 } }), why: "view.zoom" },
    { name: "view.selected long", json: JSON.stringify({ ...base, view: { selected: "x".repeat(513) } }), why: "view.selected" },
    { name: "view.step fraction", json: JSON.stringify({ ...base, view: { step: 1.5 } }), why: "view.step" },
  ])("rejects a payload with $name", ({ json, why }) => {
    const r = parseShareHash(rawLink(json));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.kind).toBe("invalid");
      expect(r.error).toContain("This link is not a valid kubeplay scenario (");
      expect(r.error).toContain(why);
    }
  });

  it("at the edges: at = startTime + 1 year is accepted; NaN/Infinity cannot be encoded", () => {
    expect(parseShareHash(rawLink(JSON.stringify({ ...base, at: T0 + YEAR_MS }))).ok).toBe(true);
    expect(parseShareHash(rawLink(JSON.stringify({ ...base, unknownField: 1 })))).toEqual({ ok: true, payload: base });
    expect(() => encodeShare({ ...payload(), at: Number.NaN })).toThrow(/at must be/);
    expect(() => encodeShare({ ...payload(), seed: -1 })).toThrow(/seed/);
  });

  it("never throws, whatever the input", () => {
    const inputs = ["#s=1.", "#s=1.====", "#s=1.%3D", "#s=1.\u{1F600}", "#s=99999.x", "#s=1." + "_".repeat(1000), "&&&s=1.AAAA", rawLink("\"just a string\""), rawLink("{\"v\":1")];
    for (const h of inputs) expect(() => parseShareHash(h)).not.toThrow();
    for (const h of inputs) expect(parseShareHash(h).ok).toBe(false);
  });

  it("base64url round-trips every length", () => {
    for (let n = 0; n < 40; n++) {
      const b = new Uint8Array(n).map((_, i) => (i * 37 + n) & 255);
      expect(base64urlDecode(base64urlEncode(b))).toEqual(b);
    }
  });
});

describe("lessons fit in a share link", () => {
  it("every built-in lesson encodes well under the 64 KiB limit", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const dir = join(import.meta.dirname, "../../../public/lessons");
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".kp"))) {
      const script = readFileSync(join(dir, f), "utf8");
      const link = encodeShare({ v: 1, script, seed: 1, startTime: T0, at: T0 });
      expect(link.length, f).toBeLessThan(MAX_ENCODED / 4);
      expect(parseShareHash(link)).toMatchObject({ ok: true, payload: { script } });
    }
  });
});
