// One line of `npm run bench` output (docs/architecture.md, "Performance targets").
export interface Figure {
  bench: string;
  value: number;
  unit: string;
  target: string;
  baseline: string;
  [extra: string]: unknown;
}
