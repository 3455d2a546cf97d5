// The layers the code's imports must follow (docs/architecture.md, "Layers"); `npm test` runs this.
// Bottom to top: errors → scenarios → reports · infra · runners → pipeline → cli → bin.
// Tests and their support code may reach across layers to set up real collaborators (an
// integration test of the journeys starts the replica); product code may not. No one skips cycles.
const TESTS = '(\\.test\\.ts$|/test-support/|/testing/|/fixtures/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle makes two files one unit that neither can be understood or tested alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'errors-import-nothing',
      comment: 'errors/ is the bottom layer: every other layer imports it, it imports none of ours.',
      severity: 'error',
      from: { path: '^errors/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypesNot: ['core'] },
    },
    {
      name: 'scenarios-below-the-rest',
      comment: 'scenarios/ (k6 code, profiles, plans) must not know who runs or reads it.',
      severity: 'error',
      from: { path: '^scenarios/', pathNot: TESTS },
      to: { path: '^(runners|reports|infra|pipeline|cli|scripts|bench)/' },
    },
    {
      name: 'reports-below-runners-and-cli',
      comment: 'reports/ reduces files; it does not run anything.',
      severity: 'error',
      from: { path: '^reports/', pathNot: TESTS },
      to: { path: '^(runners|pipeline|cli|scripts|bench)/' },
    },
    {
      name: 'infra-below-runners',
      comment: 'Targets (infra/) are used by the runners and the pipeline, never the other way round.',
      severity: 'error',
      from: { path: '^infra/', pathNot: TESTS },
      to: { path: '^(runners|pipeline|cli|bench)/' },
    },
    {
      name: 'runners-below-pipeline',
      severity: 'error',
      from: { path: '^runners/', pathNot: TESTS },
      to: { path: '^(pipeline|cli|bench)/' },
    },
    {
      name: 'tools-and-pipeline-placement',
      comment: 'tools/ (pinned tool versions) sits beside errors/ at the bottom; pipeline/ is used only by cli/.',
      severity: 'error',
      from: { path: '^tools/' },
      to: { path: '^(scenarios|runners|reports|infra|pipeline|cli|scripts|bench)/' },
    },
    {
      name: 'only-cli-imports-pipeline',
      severity: 'error',
      from: { path: '^(errors|tools|scenarios|runners|reports|infra)/', pathNot: TESTS },
      to: { path: '^pipeline/' },
    },
    {
      name: 'only-bin-imports-cli',
      comment: 'cli/ is the top: commands parse flags, call the pipeline and print.',
      severity: 'error',
      from: { pathNot: '^(cli|bin)/' },
      to: { path: '^cli/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      // k6/* modules are k6's own runtime, resolved by k6 when it runs the scenario.
      to: { couldNotResolve: true, pathNot: '^k6(/|$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.state|\\.tools|runs)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.mjs', '.js', '.json'],
      conditionNames: ['import', 'node', 'default'],
      exportsFields: ['exports'],
    },
  },
};
