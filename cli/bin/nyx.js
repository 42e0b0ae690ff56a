#!/usr/bin/env node
// `nyx analyze`: the built-in analyzers for CI and hooks (docs/ci.md). Node >= 22.18 runs the
// TypeScript sources directly (type stripping), as for nyx-server.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`nyx needs Node.js 22.18 or newer (24 recommended); this is ${process.version}.`);
  process.exit(2);
}
try {
  const { main } = await import('#cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Exit 1 means "findings"; a broken install must never look like that.
  console.error(`nyx: could not start: ${error?.stack ?? error}`);
  process.exitCode = 2;
}
