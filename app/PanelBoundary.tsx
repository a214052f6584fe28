/**
 * A crash in one panel stays in that panel: it shows a small box with the error and a "Reload panel"
 * button (which re-mounts the panel); the rest of the page, the cluster and the user's work go on.
 */
import { Component, Fragment, useEffect, useState, type ReactNode } from "react";

interface Props { name: string; children: ReactNode; className?: string }
interface State { error: Error | null; key: number }

export class PanelBoundary extends Component<Props, State> {
  state: State = { error: null, key: 0 };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  componentDidCatch(error: Error): void {
    console.warn(`panel ${this.props.name} crashed`, error);
  }

  render() {
    if (this.state.error) {
      return (
        <section className={`pane panel-crashed ${this.props.className ?? ""}`} role="alert" aria-label={`${this.props.name} crashed`}>
          <div className="crash-box">
            <strong>This panel crashed</strong> — {this.props.name}. The rest of the page and your work are fine.
            <code className="crash-msg">{String(this.state.error.message ?? this.state.error).slice(0, 300)}</code>
            <button type="button" className="primary" onClick={() => this.setState((s) => ({ error: null, key: s.key + 1 }))}>Reload panel</button>
          </div>
        </section>
      );
    }
    return <Fragment key={this.state.key}><CrashProbe name={this.props.name} />{this.props.children}</Fragment>;
  }
}

/**
 * Fault injection for tests and for trying the boundary by hand:
 * `dispatchEvent(new CustomEvent("kubeplay:crash-panel", { detail: "Describe" }))` makes that panel throw.
 */
function CrashProbe({ name }: { name: string }) {
  const [crash, setCrash] = useState(false);
  useEffect(() => {
    const on = (e: Event) => { if ((e as CustomEvent).detail === name) setCrash(true); };
    window.addEventListener("kubeplay:crash-panel", on);
    return () => window.removeEventListener("kubeplay:crash-panel", on);
  }, [name]);
  if (crash) throw new Error(`${name} crashed on request (kubeplay:crash-panel)`);
  return null;
}
