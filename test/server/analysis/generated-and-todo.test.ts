import assert from 'node:assert/strict';
import { analyzeFile } from '#server/modules/analysis/analyzers/analyze-file.ts';
import { generatedKind, looksMinified } from '#server/modules/analysis/analyzers/generated-files.ts';

const ids = (path: string, content: string, includeGenerated?: boolean) => analyzeFile({ path, content }, includeGenerated === undefined ? {} : { includeGenerated }).map((f) => f.ruleId);

describe('minified and vendored files', () => {
  it('recognises vendored and minified paths, not look-alikes', () => {
    assert.equal(generatedKind('node_modules/x/index.js'), 'vendored');
    assert.equal(generatedKind('web/vendor/lib.js'), 'vendored');
    assert.equal(generatedKind('third_party/zlib/a.go'), 'vendored');
    assert.equal(generatedKind('dist/app.min.js'), 'minified');
    assert.equal(generatedKind('dist/main.bundle.js'), 'minified');
    assert.equal(generatedKind('src/vendors.js'), undefined);
    assert.equal(generatedKind('src/bundle.js'), undefined);
    assert.equal(generatedKind('src/vendor_api.py'), undefined);
  });

  it('recognises minified content: one line over 2000 characters, or lines over 300 on average', () => {
    assert.equal(looksMinified(`${'a'.repeat(2001)}\nshort\n`), true);
    assert.equal(looksMinified(`${'a'.repeat(350)}\n`.repeat(10)), true);
    assert.equal(looksMinified('const a = 1;\n'.repeat(500)), false);
  });

  it('skips them by default and analyzes them when asked', () => {
    const code = 'const out = eval(input);\n';
    assert.deepEqual(ids('node_modules/a/index.js', code), []);
    assert.deepEqual(ids('node_modules/a/index.js', code, true), ['nyx/dangerous/dynamic-eval']);
    assert.deepEqual(ids('app.min.js', code), []);
    assert.deepEqual(ids('app.min.js', code, true), ['nyx/dangerous/dynamic-eval']);
    const longLine = `var a=eval(b);${';'.repeat(2100)}\n`;
    assert.deepEqual(ids('app.js', longLine), []);
    assert.deepEqual(ids('app.js', longLine, true), ['nyx/dangerous/dynamic-eval']);
  });

  it('judges line length only in JavaScript: a Python file with a long literal is still analyzed', () => {
    const python = `ICON = "${'A'.repeat(2100)}"\nresult = eval(expr)\n`;
    assert.deepEqual(ids('icons.py', python), ['nyx/dangerous/dynamic-eval']);
    assert.equal(looksMinified(`${'a'.repeat(2100)}\n`, 'Big.java'), false);
  });

  it('keeps the secret scan in minified files, not in vendored ones', () => {
    const code = 'const k = "AKIAQ3EGRJ7ZK2M5TXWB";\n';
    assert.deepEqual(ids('app.min.js', code), ['nyx/secrets/aws-access-key']);
    assert.deepEqual(ids('vendor/a.js', code), []);
  });
});

describe('TODO comments', () => {
  it('reports each marker of a block comment at its own line and column', () => {
    const code = 'const a = 1;\n/*\n * Parses things.\n * TODO: handle tabs\n *   and FIXME the unicode case\n */\nfunction f() {}\n';
    const todos = analyzeFile({ path: 'a.js', content: code }).filter((f) => f.ruleId === 'nyx/maintainability/todo-comment');
    assert.deepEqual(todos.map((f) => [f.range.startLine, f.range.startColumn, f.range.endColumn]), [[4, 4, 8], [5, 10, 15]]);
    assert.match(todos[0]!.message, /^TODO comment: TODO: handle tabs$/);
    assert.match(todos[1]!.message, /^FIXME comment: FIXME the unicode case$/);
    assert.notEqual(todos[0]!.fingerprint, todos[1]!.fingerprint);
  });

  it('reports a line comment marker where it is', () => {
    const [todo] = analyzeFile({ path: 'a.py', content: 'x = 1  # TODO: remove\n' });
    assert.deepEqual([todo!.range.startLine, todo!.range.startColumn], [1, 10]);
  });

  it('ignores markers in strings and words that only contain them', () => {
    assert.deepEqual(ids('a.js', 'const s = "TODO: not a comment";\n// TODOS is not a marker\n'), []);
  });
});
