// The ESLint baseline of bench:analysis, in a process of its own: the server under test runs
// alone in the bench process (as it does in production), so neither pays for the other's
// garbage collection. The parent sends { files } per measurement; this answers { ms }, the time of
// `lintFiles` alone, with the ESLint instance (and its JIT) kept warm between measurements.
// Started by bench/analysis.bench.ts with fork(): argv is the tree's root and the thread count.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const [root, threadsArg] = process.argv.slice(2);
const threads = Number(threadsArg ?? 1);
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  concurrency: threads === 1 ? 'off' : threads,
  overrideConfig: [
    { files: ['**/*.js'], languageOptions: { sourceType: 'module' } },
    { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser as never, parserOptions: { ecmaFeatures: { jsx: true } } } },
    { files: ['**/*.{js,ts,tsx}'], rules: { 'no-eval': 'error', 'no-implied-eval': 'error', 'no-new-func': 'error' } },
  ],
});

process.on('message', (message: { files: string[] }) => {
  void (async () => {
    const started = performance.now();
    const results = await eslint.lintFiles(message.files);
    const ms = performance.now() - started;
    process.send!({ ms, problems: results.reduce((sum, result) => sum + result.errorCount, 0) });
  })();
});
process.on('disconnect', () => process.exit(0));
