import { STATUS_CLASSES } from "../engine/podStatus.ts";

export function Legend() {
  return (
    <div className="legend" aria-label="Pod status legend">
      {STATUS_CLASSES.map((c) => (
        <span key={c} className="legend-item"><span className={`swatch st-${c}`} />{c}</span>
      ))}
    </div>
  );
}
