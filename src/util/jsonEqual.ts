/**
 * `JSON.stringify(a) === JSON.stringify(b)` without building the strings: controllers and the store compare
 * a status/spec before writing on every sync. Same answer, key order included: object keys are compared in
 * their own order, keys whose value JSON drops (undefined, functions, symbols) are skipped, those values
 * read as null inside arrays, non-finite numbers equal null. Anything JSON treats specially (toJSON, boxed
 * primitives, bigint) is handed to JSON.stringify itself.
 *
 * @example jsonEqual({ a: 1, b: undefined }, { a: 1 }) === true; jsonEqual({ a: 1, b: 2 }, { b: 2, a: 1 }) === false
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return eq(a, b, 0);
}

/** Reused key lists, two per depth (no Object.keys array per compared object). */
const keyLists: string[][] = [];
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Own enumerable string keys in Object.keys order, into the reused list `slot` of `depth`; returns how many
 * (entries past that are stale). The list is overwritten, never truncated: `length = 0` let V8 drop its backing
 * store, so every call allocated a new one (~1 KB per pod status compared).
 */
function ownKeys(o: object, depth: number, slot: number): number {
  const i = depth * 2 + slot;
  let l = keyLists[i];
  if (!l) keyLists[i] = l = [];
  let n = 0;
  for (const k in o) {
    if (!hasOwn.call(o, k)) continue;
    if (n < l.length) l[n] = k;
    else l.push(k);
    n++;
  }
  return n;
}

function eq(a: unknown, b: unknown, depth: number): boolean {
  if (a === b && typeof a !== "bigint") return true;
  const ka = kind(a), kb = kind(b);
  if (ka === SPECIAL || kb === SPECIAL) return JSON.stringify(a) === JSON.stringify(b);
  if (ka !== kb) return false;
  switch (ka) {
    case NULL:
    case SKIP:
      return true;
    case NUMBER:
      return a === b; // finite (non-finite numbers are NULL); 0 and -0 both print "0" and are ===
    case STRING:
    case BOOLEAN:
      return a === b;
    case ARRAY: {
      const x = a as unknown[], y = b as unknown[];
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!inArrayEqual(x[i], y[i], depth + 1)) return false;
      return true;
    }
    default: {
      const x = a as Record<string, unknown>, y = b as Record<string, unknown>;
      const nx = ownKeys(x, depth, 0), ny = ownKeys(y, depth, 1);
      const xs = keyLists[depth * 2]!, ys = keyLists[depth * 2 + 1]!;
      let i = 0, j = 0;
      for (;;) {
        let vi = 0, vj = 0;
        while (i < nx && (vi = kind(x[xs[i]!])) === SKIP) i++;
        while (j < ny && (vj = kind(y[ys[j]!])) === SKIP) j++;
        // a toJSON may return undefined (and drop its key): let JSON decide the whole object
        if (vi === SPECIAL || vj === SPECIAL) return JSON.stringify(a) === JSON.stringify(b);
        if (i === nx || j === ny) return i === nx && j === ny;
        if (xs[i] !== ys[j]) return false;
        if (!eq(x[xs[i]!], y[ys[j]!], depth + 1)) return false;
        i++;
        j++;
      }
    }
  }
}

/** Array elements: values JSON drops print as null there. */
function inArrayEqual(a: unknown, b: unknown, depth: number): boolean {
  const ka = kind(a), kb = kind(b);
  if (ka === SPECIAL || kb === SPECIAL) return JSON.stringify([a]) === JSON.stringify([b]);
  if ((ka === SKIP || ka === NULL) && (kb === SKIP || kb === NULL)) return true;
  if (ka === SKIP || kb === SKIP) return false;
  return eq(a, b, depth);
}

const NULL = 0, SKIP = 1, NUMBER = 2, STRING = 3, BOOLEAN = 4, ARRAY = 5, OBJECT = 6, SPECIAL = 7;

function kind(v: unknown): number {
  switch (typeof v) {
    case "string": return STRING;
    case "number": return Number.isFinite(v) ? NUMBER : NULL;
    case "boolean": return BOOLEAN;
    case "undefined":
    case "function":
    case "symbol":
      return SKIP;
    case "bigint": return SPECIAL;
    default:
      if (v === null) return NULL;
      if (Array.isArray(v)) return ARRAY;
      if (typeof (v as { toJSON?: unknown }).toJSON === "function" || v instanceof Number || v instanceof String || v instanceof Boolean) return SPECIAL;
      return OBJECT;
  }
}
