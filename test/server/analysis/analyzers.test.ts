import assert from 'node:assert/strict';
import { Finding, RuleInfo } from '#protocol/findings.ts';
import { analyzeFile, ANALYZER_VERSION, MAX_PARSED_BYTES } from '#server/modules/analysis/analyzers/analyze-file.ts';
import { applyFix } from '#server/modules/analysis/analyzers/apply-fix.ts';
import { rules } from '#server/modules/analysis/analyzers/rule-catalog.ts';
import { expectedFindings, findingKey, FIXTURE_LANGUAGES, fixtureFiles } from './fixture-repo.ts';

const keyOf = (f: Finding) => findingKey({ ruleId: f.ruleId, path: f.path, startLine: f.range.startLine });

describe('built-in analyzers on the fixture repositories', () => {
  for (const language of FIXTURE_LANGUAGES) {
    it(`${language}: finds every seeded issue and nothing else`, () => {
      const findings = fixtureFiles(language).flatMap((file) => analyzeFile(file));
      const actual = new Set(findings.map(keyOf));
      const expected = new Set(expectedFindings(language).map(findingKey));
      const truePositives = [...actual].filter((key) => expected.has(key)).length;
      const precision = actual.size ? truePositives / actual.size : 1;
      const recall = expected.size ? truePositives / expected.size : 1;
      console.log(`      ${language}: ${expected.size} seeded, ${actual.size} reported, precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)}`);
      assert.deepEqual([...actual].filter((key) => !expected.has(key)), [], 'unexpected findings');
      assert.deepEqual([...expected].filter((key) => !actual.has(key)), [], 'missed findings');
      for (const finding of findings) Finding.parse(finding);
    });

    it(`${language}: clean files produce no findings`, () => {
      const clean = fixtureFiles(language).filter((file) => /(^|\/)clean[^/]*$/i.test(file.path));
      assert.ok(clean.length > 0, 'fixture has clean files');
      for (const file of clean) assert.deepEqual(analyzeFile(file), [], file.path);
    });
  }

  it('ranges cover exactly the matched code (1-based, end exclusive)', () => {
    const content = 'const x = 1;\nconst y = eval(input);\n';
    const [finding] = analyzeFile({ path: 'a.js', content });
    assert.deepEqual(finding!.range, { startLine: 2, startColumn: 11, endLine: 2, endColumn: 22 });
    assert.equal(content.split('\n')[1]!.slice(10, 21), 'eval(input)');
  });

  it('is deterministic', () => {
    const files = fixtureFiles('python');
    assert.deepEqual(files.flatMap((f) => analyzeFile(f)), files.flatMap((f) => analyzeFile(f)));
  });
});

describe('fixes', () => {
  const cases: Array<{ path: string; before: string; after: string }> = [
    { path: 'a.py', before: 'r = requests.get(u, verify=False)\n', after: 'r = requests.get(u, verify=True)\n' },
    { path: 'a.ts', before: 'const agent = new Agent({ rejectUnauthorized: false });\n', after: 'const agent = new Agent({ rejectUnauthorized: true });\n' },
    { path: 'a.go', before: 'package a\n\nvar c = &tls.Config{InsecureSkipVerify: true}\n', after: 'package a\n\nvar c = &tls.Config{InsecureSkipVerify: false}\n' },
  ];
  for (const { path, before, after } of cases) {
    it(`${path}: ${before.split('\n').find((l) => /verify|reject|Insecure|Hash|hash|getInstance/.test(l))!.trim().slice(0, 60)}`, () => {
      const fixable = analyzeFile({ path, content: before }).filter((f) => f.fix);
      assert.equal(fixable.length, 1);
      const fixed = applyFix(before, fixable[0]!.fix!);
      assert.equal(fixed, after);
      assert.deepEqual(analyzeFile({ path, content: fixed }).filter((f) => f.ruleId === fixable[0]!.ruleId), [], 'the fix removes the finding');
    });
  }

  // A real password hash needs a salt and a new stored format: no mechanical edit can do that.
  for (const [path, content] of [
    ['a.js', "function hash(password) { return crypto.createHash(\"md5\").update(password).digest('hex'); }\n"],
    ['a.py', 'def h(password):\n    return hashlib.sha1(password).hexdigest()\n'],
    ['A.java', 'class A { byte[] h(String password) throws Exception { return MessageDigest.getInstance("SHA-1").digest(password.getBytes()); } }\n'],
  ] as const) {
    it(`${path}: weak password hash is reported once and offers no fix (never SHA-256)`, () => {
      const findings = analyzeFile({ path, content });
      assert.deepEqual(findings.map((f) => f.ruleId), ['nyx/dangerous/weak-password-hash']);
      assert.equal(findings[0]!.fix, undefined);
    });
  }

  it('offers no fix for empty catch blocks', () => {
    const [finding] = analyzeFile({ path: 'a.js', content: 'try { f(); } catch (e) {}\n' });
    assert.equal(finding!.ruleId, 'nyx/correctness/empty-catch');
    assert.equal(finding!.fix, undefined);
  });
});

describe('fingerprints', () => {
  it('survive inserting lines above', () => {
    for (const file of fixtureFiles('js').concat(fixtureFiles('python'))) {
      const text = Buffer.from(file.content).toString('utf8');
      const before = analyzeFile({ path: file.path, content: text });
      const shifted = analyzeFile({ path: file.path, content: `\n\n\n${text}` });
      assert.deepEqual(shifted.map((f) => f.fingerprint), before.map((f) => f.fingerprint), file.path);
      assert.deepEqual(shifted.map((f) => f.range.startLine), before.map((f) => f.range.startLine + 3));
    }
  });

  it('tell apart two identical matches in one file', () => {
    const findings = analyzeFile({ path: 'a.js', content: 'eval(a);\neval(a);\n' });
    assert.equal(findings.length, 2);
    assert.notEqual(findings[0]!.fingerprint, findings[1]!.fingerprint);
  });

  it('differ by path', () => {
    const a = analyzeFile({ path: 'a.js', content: 'eval(a);\n' })[0]!;
    const b = analyzeFile({ path: 'b.js', content: 'eval(a);\n' })[0]!;
    assert.notEqual(a.fingerprint, b.fingerprint);
  });
});

describe('unusual input', () => {
  it('skips binary files', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, ...Buffer.from('AKIAQ3EGRJ7ZK2M5TXWB')]);
    assert.deepEqual(analyzeFile({ path: 'logo.png', content: png }), []);
    assert.deepEqual(analyzeFile({ path: 'weird.js', content: 'eval(x)\0' }), []);
  });

  it('reports invalid UTF-8 once, as info', () => {
    const latin1 = Uint8Array.from([...Buffer.from('const caf'), 0xe9, ...Buffer.from(' = eval(x);\n')]);
    const findings = analyzeFile({ path: 'latin1.js', content: latin1 });
    assert.deepEqual(findings.map((f) => [f.ruleId, f.severity]), [['nyx/input/not-utf8', 'info']]);
  });

  it('decodes valid UTF-8 bytes and counts columns in UTF-16 units', () => {
    const [finding] = analyzeFile({ path: 'a.js', content: Buffer.from('const s = "é😀"; eval(x);\n') });
    assert.equal(finding!.range.startColumn, 18);
  });

  it('handles a huge file quickly: size finding and secrets, no parsing', function () {
    this.timeout(10_000);
    const line = 'const value = compute(input) + other(thing); // padding padding padding\n';
    const huge = line.repeat(Math.ceil((MAX_PARSED_BYTES * 4) / line.length)) + 'const k = "AKIAQ3EGRJ7ZK2M5TXWB";\neval(x);\n';
    const started = performance.now();
    const findings = analyzeFile({ path: 'bundle.js', content: huge });
    const elapsed = performance.now() - started;
    assert.deepEqual(findings.map((f) => f.ruleId).sort(), ['nyx/maintainability/file-size', 'nyx/secrets/aws-access-key']);
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
  });

  it('gives files in unknown languages the text rules only', () => {
    const findings = analyzeFile({ path: 'notes.txt', content: 'eval(x)\ntoken xoxp-1234567890-abcdefghij\n' });
    assert.deepEqual(findings.map((f) => [f.ruleId, f.range.startLine]), [['nyx/secrets/slack-token', 2]]);
  });
});

describe('rule catalog', () => {
  it('describes every rule once, valid against the protocol schema', () => {
    assert.equal(new Set(rules.map((r) => r.id)).size, rules.length);
    for (const rule of rules) RuleInfo.parse(rule);
    assert.match(ANALYZER_VERSION, /\d+\.\d+\.\d+/);
  });

  it('every security and correctness rule names its CWE, OWASP category, an example pair and references', () => {
    for (const rule of rules.filter((r) => !/^nyx\/(?:maintainability|input)\//.test(r.id))) {
      assert.ok(rule.cwe?.length, `${rule.id} cwe`);
      assert.ok(rule.references?.some((url) => url.startsWith('https://cwe.mitre.org/')), `${rule.id} references`);
      assert.ok(rule.examples && rule.examples.vulnerable !== rule.examples.fixed, `${rule.id} examples`);
      if (rule.id !== 'nyx/correctness/floating-promise') assert.ok(rule.owasp?.every((c) => /^A\d\d:2021 /.test(c)) && rule.owasp.length, `${rule.id} owasp`);
    }
    assert.deepEqual(rules.find((r) => r.id === 'nyx/dangerous/weak-password-hash')!.fixable, false, 'no SHA-256 "fix" for passwords');
  });

  it('every rule reported on the fixtures is in the catalog with its severity', () => {
    const bySeverity = new Map(rules.map((r) => [r.id, r.severity]));
    for (const language of FIXTURE_LANGUAGES) {
      for (const finding of fixtureFiles(language).flatMap((f) => analyzeFile(f))) {
        assert.equal(finding.severity, bySeverity.get(finding.ruleId), finding.ruleId);
      }
    }
  });
});
