import { describe, expect, it } from "vitest";
import { createSimulation } from "../../../src/simulation.ts";
import { addNode, nodeAddressing } from "../../../src/kubelet/node.ts";
import type { Node, Pod } from "../../../src/api/types.ts";

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

describe("node addressing (kind: InternalIP 172.18.0.0/16, pod CIDRs /24 from 10.244.0.0)", () => {
  it.each([
    // the first nodes keep kind's numbering (goldens use these)
    { index: 0, ip: "172.18.0.2", cidr: "10.244.0.0/24" },
    { index: 1, ip: "172.18.0.3", cidr: "10.244.1.0/24" },
    { index: 253, ip: "172.18.0.255", cidr: "10.244.253.0/24" },
    { index: 254, ip: "172.18.1.0", cidr: "10.244.254.0/24" },
    { index: 255, ip: "172.18.1.1", cidr: "10.244.255.0/24" },
    // past one octet: carried into the next one (was 172.18.0.258 / 10.244.256.0/24)
    { index: 256, ip: "172.18.1.2", cidr: "10.245.0.0/24" },
    { index: 432, ip: "172.18.1.178", cidr: "10.245.176.0/24" },
    { index: 999, ip: "172.18.3.233", cidr: "10.247.231.0/24" },
    { index: 3071, ip: "172.18.12.1", cidr: "10.255.255.0/24" },
    // 10.244–10.255 used up: the rest of 10/8, skipping the Service range 10.96.0.0/12
    { index: 3072, ip: "172.18.12.2", cidr: "10.0.0.0/24" },
    { index: 3072 + 96 * 256, ip: "172.18.108.2", cidr: "10.112.0.0/24" },
    { index: 4999, ip: "172.18.19.137", cidr: "10.7.135.0/24" },
    { index: 61439, ip: "172.18.240.1", cidr: "10.243.255.0/24" }, // the last distinct /24 (240 × 256 of them)
    { index: 65534, ip: "172.19.0.0", cidr: "10.3.254.0/24" },
  ])("node #$index → $ip, $cidr", ({ index, ip, cidr }) => {
    const a = nodeAddressing(index);
    expect(a.internalIP).toBe(ip);
    expect(a.podCIDR).toBe(cidr);
    expect(a.podCIDR.startsWith(a.podPrefix)).toBe(true);
  });

  it("every address of 6,000 nodes is a valid IPv4 and unique, pod CIDRs outside the Service range", () => {
    const ips = new Set<string>(), cidrs = new Set<string>();
    for (let i = 0; i < 6000; i++) {
      const a = nodeAddressing(i);
      expect(a.internalIP).toMatch(IPV4);
      expect(a.podPrefix + "254").toMatch(IPV4);
      expect(a.podCIDR.startsWith("10.96.") || /^10\.(9[6-9]|10\d|11[01])\./.test(a.podCIDR)).toBe(false);
      ips.add(a.internalIP);
      cidrs.add(a.podCIDR);
    }
    expect(ips.size).toBe(6000);
    expect(cidrs.size).toBe(6000);
  });

  it("a pod on the 433rd node gets hostIP and podIP from that node's addresses", () => {
    const sim = createSimulation({ seed: 1 });
    for (let i = 0; i < 433; i++) addNode(sim, { name: `node-${String(i).padStart(4, "0")}` });
    sim.settle();
    const node = sim.store.get<Node>("Node", undefined, "node-0432")!;
    expect(node.status!.addresses![0]).toEqual({ address: "172.18.1.178", type: "InternalIP" });
    expect(node.spec!.podCIDR).toBe("10.245.176.0/24");
    sim.act(() => sim.store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" } as never,
      spec: { nodeName: "node-0432", containers: [{ name: "c", image: "nginx" }] } } as never));
    sim.advance(10_000);
    const p = sim.store.get<Pod>("Pod", "default", "p")!;
    expect(p.status.hostIP).toBe("172.18.1.178");
    expect(p.status.podIP).toBe("10.245.176.2");
  });
});
