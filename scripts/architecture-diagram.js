#!/usr/bin/env node
// Regenerates the diagrams of docs/architecture.md (`npm run docs:architecture`) from the import
// graph dependency-cruiser reads with the repo's rules (.dependency-cruiser.cjs):
//   docs/images/architecture-features.svg  the features (server/src/modules/*) and who uses whom
//   docs/images/architecture-layers.svg    everything: shared server layers, the composition root,
//                                          protocol/, extension/ and webviews/ as one box each
// Needs graphviz `dot` on PATH (apt-get install graphviz). The SVGs are committed; CI does not run this.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const depcruise = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

const diagrams = [
  { file: 'architecture-features.svg', includeOnly: '^server/src/modules/', collapse: '^server/src/modules/[^/]+' },
  {
    file: 'architecture-layers.svg',
    includeOnly: '^(server/src|protocol|extension|webviews)/',
    collapse: '^(server/src/modules/[^/]+|server/src/(http|db|events)|server/src/[^/]+[.]ts|protocol|extension|webviews)',
  },
];

for (const diagram of diagrams) {
  const dotSource = execFileSync(
    process.execPath,
    [depcruise, '--config', '.dependency-cruiser.cjs', '--include-only', diagram.includeOnly, '--collapse', diagram.collapse, '--output-type', 'dot', 'server', 'protocol', 'extension', 'webviews'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const svg = execFileSync('dot', ['-Tsvg'], { input: dotSource, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = path.join(root, 'docs', 'images', diagram.file);
  writeFileSync(output, svg);
  console.log(`wrote ${path.relative(root, output)} (${Math.round(svg.length / 1024)} KiB)`);
}
