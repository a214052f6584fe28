import { describe, expect, it } from "vitest";
import { Shell, formatDate, type IO, type ShellHost } from "../../../src/kubelet/shell/interp.ts";
import { FileSystem, Volume } from "../../../src/kubelet/shell/fs.ts";
import { parse } from "../../../src/kubelet/shell/parse.ts";

const T0 = Date.UTC(2025, 0, 1);

/** Run a script to completion on a private virtual clock; returns the log (with times) and exit status. */
function run(src: string, opts: { fs?: FileSystem; env?: Array<[string, string]>; limitMs?: number } = {}) {
  let t = T0;
  let log = "";
  const host: ShellHost = { now: () => t, fs: opts.fs ?? new FileSystem(new Volume()), hostname: "web-0", fqdn: "web-0.web.default.svc.cluster.local", podIP: "10.244.1.5" };
  const sh = new Shell(host, { env: opts.env ?? [["PATH", "/bin"], ["HOSTNAME", "web-0"]] });
  const stamp = () => (t === T0 ? "" : `[+${(t - T0) / 1000}s] `);
  const io: IO = { stdin: "", out: (s) => { log += stamp() + s; }, err: (s) => { log += stamp() + "E: " + s; } };
  const g = sh.main(src, io);
  let r = g.next();
  while (!r.done) {
    if ("forever" in r.value) return { log, code: "running" as const };
    t += r.value.sleep;
    if (opts.limitMs !== undefined && t - T0 > opts.limitMs) return { log, code: "running" as const };
    r = g.next();
  }
  return { log, code: r.value };
}

describe("mini-shell: commands, operators, control flow", () => {
  it.each([
    { name: "unknown command: not found, 127, script continues (seed typo)", src: "data; echo Hello from the Kubernetes cluster", log: "E: sh: data: not found\nHello from the Kubernetes cluster\n", code: 0 },
    { name: "$? after an unknown command", src: "nope; echo $?", log: "E: sh: nope: not found\n127\n", code: 0 },
    { name: "&& and ||", src: "false && echo no || echo yes; true && echo ok", log: "yes\nok\n", code: 0 },
    { name: "exit N stops the script", src: "echo a; exit 3; echo b", log: "a\n", code: 3 },
    { name: "exit status of the last command", src: "echo a; false", log: "a\n", code: 1 },
    { name: "echo -n and -e", src: "echo -n a; echo -e 'b\\tc'", log: "ab\tc\n", code: 0 },
    { name: "printf reuses the format", src: "printf '%s=%d\\n' a 1 b 2", log: "a=1\nb=2\n", code: 0 },
    { name: "if/elif/else", src: "x=2; if [ $x -eq 1 ]; then echo one; elif [ $x -eq 2 ]; then echo two; else echo many; fi", log: "two\n", code: 0 },
    { name: "for loop", src: "for i in a b c; do echo $i; done", log: "a\nb\nc\n", code: 0 },
    { name: "while with arithmetic", src: "i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done", log: "1\n2\n3\n", code: 0 },
    { name: "until + break", src: "i=0; until false; do i=$((i+1)); [ $i -ge 2 ] && break; done; echo $i", log: "2\n", code: 0 },
    { name: "simple pipe", src: "seq 5 | grep -v 3 | wc -l", log: "4\n", code: 0 },
    { name: "command substitution collapses spaces when unquoted", src: "echo $(echo 'a   b'); echo \"$(echo 'a   b')\"", log: "a b\na   b\n", code: 0 },
    { name: "${VAR:-default} and ${#VAR}", src: "echo ${NOPE:-dflt} ${#HOSTNAME}", log: "dflt 5\n", code: 0 },
    { name: "env vars", src: "echo $HOSTNAME; printenv HOSTNAME", log: "web-0\nweb-0\n", code: 0 },
    { name: "hostname and hostname -f", src: "hostname; hostname -f", log: "web-0\nweb-0.web.default.svc.cluster.local\n", code: 0 },
    { name: "functions and return", src: "f() { echo in $1; return 4; }; f x; echo $?", log: "in x\n4\n", code: 0 },
    { name: "syntax error", src: "if true; then echo x", log: "E: sh: syntax error: unexpected end of file\n", code: 2 },
    { name: "test string ops", src: "[ -z \"\" ] && [ -n a ] && [ a = a ] && [ a != b ] && echo ok", log: "ok\n", code: 0 },
    { name: "bad number in test", src: "[ a -eq 1 ]; echo $?", log: "E: sh: a: bad number\n2\n", code: 0 },
    { name: "subshell exit does not end the script", src: "(exit 5); echo $?", log: "5\n", code: 0 },
    { name: "redirect stderr to stdout and to /dev/null", src: "nope 2>/dev/null; echo $?; nope 2>&1", log: "127\nsh: nope: not found\n", code: 127 },
    { name: "set -e", src: "set -e; echo a; false; echo b", log: "a\n", code: 1 },
    { name: "bc computes pi", src: "echo 'scale=10; 4*a(1)' | bc -l", log: "3.1415926535\n", code: 0 },
  ])("$name", ({ src, log, code }) => {
    const r = run(src);
    expect(r.log).toBe(log);
    expect(r.code).toBe(code);
  });
});

describe("mini-shell: virtual time", () => {
  it("sleep advances the virtual clock (fractional too); date is busybox format", () => {
    expect(run("date; sleep 1.5; date; sleep 60; date +%H:%M:%S").log).toBe(
      "Wed Jan  1 00:00:00 UTC 2025\n[+1.5s] Wed Jan  1 00:00:01 UTC 2025\n[+61.5s] 00:01:01\n");
  });
  it("sleep infinity and tail -f /dev/null block forever", () => {
    expect(run("echo up; sleep infinity").code).toBe("running");
    expect(run("tail -f /dev/null").code).toBe("running");
  });
  it.each([["while true; do :; done"], ["while true; do sleep 0; done"], ["trap '' TERM; while true; do sleep 0; done"], ["while :; do sleep 0.000; true; done"]])(
    "a busy loop (%s) still lets virtual time pass (CPU charged per 10k commands; fuzz seed 58 hung on sleep 0)", (script) => {
      const r = run(script, { limitMs: 5000 });
      expect(r.code).toBe("running");
    });
  it("the seed's Job script: Welcome, 60s, Next", () => {
    expect(run(`echo "Welcome xuexi"; sleep 60 ; echo "Next to Meet you"`).log).toBe("Welcome xuexi\n[+60s] Next to Meet you\n");
  });
  it.each([[new Date("2025-03-09T04:05:06Z").getTime(), "Sun Mar  9 04:05:06 UTC 2025"], [new Date("2025-12-25T23:59:59Z").getTime(), "Thu Dec 25 23:59:59 UTC 2025"]])(
    "formatDate(%i)", (ms, want) => expect(formatDate(ms)).toBe(want));
});

describe("mini-shell: files and volumes", () => {
  it("touch/cat/rm/mkdir -p/ls/cp on the container fs, busybox error texts", () => {
    const r = run("mkdir -p /data/x; echo hi > /data/x/f; cat /data/x/f; ls /data/x; cp /data/x/f /data/g; cat /data/g; rm /data/x/f; cat /data/x/f; rm /nope; rm -f /nope; echo end");
    expect(r.log).toBe("hi\nf\nhi\nE: cat: can't open '/data/x/f': No such file or directory\nE: rm: can't remove '/nope': No such file or directory\nend\n");
  });
  it("the liveness example's file dance: touch, sleep, rm -f", () => {
    const fs = new FileSystem(new Volume(), []);
    fs.mkdir("/tmp");
    const r = run("touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600", { fs, limitMs: 20_000 });
    expect(r.code).toBe("running");
    expect(fs.isFile("/tmp/healthy")).toBe(true);
  });
  it("a volume mounted in two containers is shared (init copies, app reads)", () => {
    const shared = new Volume();
    const image = new Volume();
    image.addFile("sample.war", "WAR");
    const initFs = new FileSystem(image, [{ path: "/app", volume: shared, readOnly: false }]);
    expect(run("cp /sample.war /app", { fs: initFs }).code).toBe(0);
    const appFs = new FileSystem(new Volume(), [{ path: "/root/tomcat/webapps", volume: shared, readOnly: false }]);
    expect(run("ls /root/tomcat/webapps; cat /root/tomcat/webapps/sample.war", { fs: appFs }).log).toBe("sample.war\nWAR");
  });
  it("configMap/secret volumes are read-only", () => {
    const cm = new Volume(true);
    cm.addFile("k", "v");
    const fs = new FileSystem(new Volume(), [{ path: "/etc/cfg", volume: cm, readOnly: true }]);
    expect(run("cat /etc/cfg/k; echo x > /etc/cfg/k", { fs }).log).toBe("vE: sh: can't create /etc/cfg/k: Read-only file system\n");
  });
});

describe("parser", () => {
  it("parses nested control flow", () => {
    expect(() => parse("for i in 1 2; do if [ $i = 1 ]; then while false; do :; done; fi; done")).not.toThrow();
  });
  it.each(["fi", "done", "then"])("rejects a stray %s", (kw) => expect(() => parse(kw)).toThrow(`syntax error: unexpected "${kw}"`));
});
