/**
 * The layers of the hub, checked in CI (`npm run deps:check`). Lower layers never import higher ones;
 * no two files import each other in a circle except entities that relate to each other (MikroORM's
 * relation pairs: Offer ⇄ CapacityPeriod, Case ⇄ CaseEvent, …).
 *
 *   start      main.ts app.ts schema.ts server/ cli/
 *   features   modules/<feature>/   (in the order of FEATURES below)
 *   transport  http/
 *   request    context.ts graphql/
 *   policy     auth/
 *   platform   db/ events/ limits/ observability/ web/
 *   settings   config.ts hardening.config.ts operations-allowlist.ts
 *   ground     domain/ errors.ts logger.ts
 */
const LAYERS = [
  ['ground', '^src/(domain/|errors\\.ts$|logger\\.ts$)'],
  ['settings', '^src/(config\\.ts|hardening\\.config\\.ts|operations-allowlist\\.ts)$'],
  ['platform', '^src/(db|events|limits|observability|web)/'],
  ['policy', '^src/auth/'],
  ['request', '^src/(context\\.ts$|graphql/)'],
  ['transport', '^src/http/'],
  ['features', '^src/modules/'],
  ['start', '^src/(main\\.ts$|app\\.ts$|schema\\.ts$|server/|cli/)'],
];

/**
 * Feature modules from the bottom up: a feature may use those before it, never one after it (entity
 * files excepted, see above). The registries beside them (modules/*.ts) compose all features.
 */
const FEATURES = [
  'funding',
  'organisation',
  'account',
  'identity',
  'audit',
  'shared',
  'sharing',
  'offer',
  'location',
  'case',
  'capacity',
  'search',
  'read-plan',
  'statistics',
  'live',
  'saved-search',
  'hsds',
  'import',
  'webhooks',
];

const layerRules = LAYERS.flatMap(([name, path], i) =>
  LAYERS.slice(i + 1).map(([higher, higherPath]) => ({
    name: `${name}-not-to-${higher}`,
    comment: `The ${name} layer must not depend on the ${higher} layer above it.`,
    severity: 'error',
    from: { path },
    to: { path: higherPath },
  })),
);

const featureRules = FEATURES.flatMap((name, i) =>
  FEATURES.slice(i + 1).map((higher) => ({
    name: `feature-${name}-not-to-${higher}`,
    comment: `The feature ${name} comes before ${higher}: it must not use it.`,
    severity: 'error',
    from: { path: `^src/modules/${name}/`, pathNot: '\\.entity\\.ts$' },
    to: { path: `^src/modules/${higher}/` },
  })),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Files that import each other in a circle (entities of a relation excepted).',
      severity: 'error',
      from: { pathNot: '\\.entity\\.ts$' },
      to: { circular: true },
    },
    {
      name: 'features-registered',
      comment: 'Every folder under src/modules is a feature listed in FEATURES (its place in the order).',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: `^src/modules/(?!(${FEATURES.join('|')})/)[^/]+/` },
    },
    ...layerRules,
    ...featureRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsConfig: { fileName: 'tsconfig.json' },
    // swc reads the TypeScript (the TypeScript 7 compiler has no API dependency-cruiser can use yet).
    parser: 'swc',
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
