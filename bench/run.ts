// `npm run bench [-- NAME...]`: one JSON line per figure on stdout (docs/architecture.md, "Performance
// targets"). Each figure is measured beside its baseline in the same run; progress goes to stderr.
import { aggregateBench } from './aggregate.ts';
import { replicaScale } from './replica-scale.ts';
import { stackWarmStart } from './stack-warm-start.ts';
import { journeysVsBareK6 } from './journeys-vs-bare-k6.ts';
import { runners4v1 } from './runners-4v1.ts';
import { replicaVsWoocommerce } from './replica-vs-woocommerce.ts';
import { capacitySearch } from './capacity-search.ts';

import type { Figure } from './figure.ts';

type Bench = () => Promise<Figure[]>;

const BENCHES: Record<string, Bench> = {
  'stack-warm-start-s': stackWarmStart,
  'replica-scale-4v1': replicaScale,
  // One pass measures all three: aggregate-samples-per-s, aggregate-vs-wc, report-seconds-10min.
  'aggregate-samples-per-s': aggregateBench as Bench,
  'runners-4v1-requests': runners4v1,
  'journeys-vs-bare-k6': journeysVsBareK6,
  // One pass measures replica-vs-woocommerce-cpu, -queries, -db-cpu and -peak.
  'replica-vs-woocommerce-cpu': replicaVsWoocommerce,
  // One search at 1 and 2 instances measures both: capacity-search-minutes and capacity-1v2.
  'capacity-search-minutes': capacitySearch,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !BENCHES[w]);
if (unknown.length) {
  process.stderr.write(`unknown bench ${unknown.join(', ')}: choose from ${Object.keys(BENCHES).join(', ')}\n`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  process.stderr.write(`bench ${name}…\n`);
  for (const figure of await BENCHES[name]()) process.stdout.write(`${JSON.stringify(figure)}\n`);
}
