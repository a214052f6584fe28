export * from "./hash.ts";
export * from "./refs.ts";
export * from "./pods.ts";
export * from "./slowstart.ts";
export * from "./intstr.ts";
export * from "./claim.ts";
export * from "./history.ts";
