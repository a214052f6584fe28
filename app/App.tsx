import { runScript } from "../src/index.ts";

const demo = `sim node add w1
kubectl get nodes
`;

export function App() {
  const { transcript } = runScript(demo);
  return (
    <main>
      <h1>kubeplay</h1>
      <pre aria-label="transcript">{transcript}</pre>
    </main>
  );
}
