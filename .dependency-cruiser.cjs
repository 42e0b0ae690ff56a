// Dependency rules of the repo (decision 0008), checked by `npm run lint` and by
// test/server/structure/dependency-rules.test.ts, which also proves each rule can fail.
/** Files that wire the server together; features never import them. */
const COMPOSITION_ROOT = '^server/src/(app|main|features|cli)[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: the files depend on each other, so neither can be read, tested or moved alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'imports-resolve',
      severity: 'error',
      comment: 'An import the checker cannot resolve (a typo, or a subpath import missing from package.json) would hide its dependencies.',
      from: {},
      to: { couldNotResolve: true, pathNot: '^vscode$' },
    },
    {
      name: 'protocol-is-a-leaf',
      severity: 'error',
      comment: 'protocol/ holds the contracts shared by server, extension and webviews; it depends on none of them.',
      from: { path: '^protocol/' },
      to: { path: '^(server|extension|webviews)/' },
    },
    {
      name: 'webviews-import-protocol-and-their-own-folder',
      severity: 'error',
      comment: 'A webview runs in a sandboxed page: it may use protocol/, webviews/common/, its own folder and npm packages.',
      from: { path: '^webviews/([^/]+)/' },
      to: { pathNot: ['^webviews/$1/', '^webviews/common/', '^protocol/', 'node_modules'] },
    },
    {
      name: 'extension-never-imports-the-server',
      severity: 'error',
      comment: 'The extension talks to the server over HTTP only (contracts in protocol/).',
      from: { path: '^extension/' },
      to: { path: '^server/' },
    },
    {
      name: 'server-never-imports-the-ui',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(extension|webviews)/' },
    },
    {
      name: 'nothing-imports-the-composition-root',
      severity: 'error',
      comment: 'app.ts, main.ts, features.ts and cli.ts assemble the server; a feature that reached back into them would depend on every other feature.',
      from: { path: '^(server|protocol|extension|webviews)/', pathNot: [COMPOSITION_ROOT, '^server/bin/'] },
      to: { path: COMPOSITION_ROOT },
    },
    {
      name: 'features-use-each-other-not-each-others-wiring',
      severity: 'error',
      comment:
        "A feature may use another feature's services, stores, entities and engine, never its routes or its Feature object: " +
        'those are for the composition root, and reaching into them couples one HTTP surface to another.',
      from: { path: '^server/src/modules/([^/]+)/' },
      to: { path: '^server/src/modules/[^/]+/(feature|routes|[^/]*-routes)[.]ts$', pathNot: '^server/src/modules/$1/' },
    },
    {
      name: 'shared-server-modules-know-no-feature-wiring',
      severity: 'error',
      comment: 'services.ts, feature.ts and the shared layers (http, db, events) are below the features: they never import a Feature or routes.',
      from: { path: '^server/src/(services|feature|config|errors|logger)[.]ts$|^server/src/(http|db|events)/' },
      to: { path: '^server/src/modules/[^/]+/(feature|routes|[^/]*-routes)[.]ts$' },
    },
    {
      name: 'cli-imports-protocol-and-the-pure-analyzers',
      severity: 'error',
      comment:
        '`nyx analyze` (cli/) talks to a server over HTTP (protocol/) or runs the analyzers in-process (--offline): it may import ' +
        'protocol/, the pure per-file analyzers, the SARIF builder and the rule docs, never the server\'s database, features or composition root.',
      from: { path: '^cli/' },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: [
          '^cli/',
          '^protocol/',
          '^server/src/modules/analysis/analyzers/',
          '^server/src/modules/analysis/(sarif|sarif-types|rule-docs)[.]ts$',
          'node_modules',
        ],
      },
    },
    {
      name: 'nothing-imports-the-cli',
      severity: 'error',
      comment: 'cli/ is an entry point like the composition root: the server, extension and webviews never depend on it.',
      from: { path: '^(server|protocol|extension|webviews)/' },
      to: { path: '^cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    // Type-only imports count: a cycle through types is still a cycle for the reader.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    reporterOptions: {
      dot: {
        collapsePattern: '^(server/src/modules/[^/]+|server/src/[^/]+|protocol|extension/[^/]+|webviews/[^/]+|node_modules/(@[^/]+/)?[^/]+)',
      },
    },
  },
};
