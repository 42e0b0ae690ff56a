import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parseControls, parseCovers, splitPolicy } from '#server/modules/policies/splitter.ts';
import { starterFiles } from '#server/modules/policies/starter.ts';

describe('policies: the clause splitter', () => {
  it('splits Markdown at headings: title, numbers, text, controls and CWEs; a section title with no text is no clause', () => {
    const split = splitPolicy(
      [
        '# Secure coding',
        'Preamble that belongs to no clause.',
        '',
        '## 1 Scope',
        'Every service we ship.',
        '',
        '## 4 Input handling',
        '### 4.2. Parameterised queries',
        'Queries use bound parameters.',
        'Controls: ISO 27001:2022 A.8.28, GDPR Art. 32',
        'Covers: CWE-89, cwe 78',
        '### Unnumbered heading',
        'Still a clause, numbered by position.',
        '```',
        '## not a heading inside a fence',
        '```',
      ].join('\n'),
      'markdown',
    );
    assert.equal(split.title, 'Secure coding');
    assert.deepEqual(split.clauses.map((c) => [c.number, c.title]), [
      ['1', 'Scope'],
      ['4.2', 'Parameterised queries'],
      ['§3', 'Unnumbered heading'],
    ]);
    const queries = split.clauses[1]!;
    assert.deepEqual(queries.controls, ['ISO 27001:2022 A.8.28', 'GDPR Art. 32']);
    assert.deepEqual(queries.cwes, ['CWE-89', 'CWE-78']);
    assert.ok(!queries.text.includes('Covers'), 'the Covers line is removed from the text');
    assert.ok(queries.text.includes('Controls: ISO'), 'the Controls line stays');
    assert.ok(split.clauses[2]!.text.includes('## not a heading inside a fence'));
  });

  it('splits text (and PDF text) at numbered lines, not at sentences that start with a number', () => {
    const split = splitPolicy(
      ['Logging and monitoring', '', '1 Scope', 'All services.', '2.1 Retention', 'Logs are kept 90 days.', '3 services write audit logs, which is body text.', 'A.8 Annex style', 'Also a clause.'].join('\n'),
      'text',
    );
    assert.equal(split.title, 'Logging and monitoring');
    assert.deepEqual(split.clauses.map((c) => c.number), ['1', '2.1', 'A.8']);
    assert.ok(split.clauses[1]!.text.includes('3 services write audit logs'));
  });

  it('normalises the external controls it finds anywhere in a clause', () => {
    assert.deepEqual(parseControls('See DSGVO Art. 25 and GDPR Article 5(1)(c); ISO/IEC 27001 A.5.15 and ISO 27001:2013 Annex A 12.4; again GDPR Art. 25'), [
      'GDPR Art. 25',
      'GDPR Art. 5(1)(c)',
      'ISO 27001:2022 A.5.15',
      'ISO 27001:2013 A.12.4',
    ]);
    assert.deepEqual(parseCovers(' CWE-79, CWE 22 and cwe-0089'), ['CWE-79', 'CWE-22', 'CWE-89']);
  });

  it('finds no clause in a document without headings or numbered lines', () => {
    assert.deepEqual(splitPolicy('Just a paragraph of prose.\nAnd another line.', 'markdown').clauses, []);
  });

  it('splits every starter file into clauses that each cite a control', async () => {
    const files = await starterFiles();
    assert.ok(files.length >= 1);
    for (const file of files) {
      const split = splitPolicy(file.markdown, 'markdown');
      assert.ok(split.clauses.length > 0, `${file.key} has clauses`);
      for (const clause of split.clauses) assert.ok(clause.controls.length > 0, `${file.key} §${clause.number} names a control`);
    }
    assert.ok((await readFile(new URL('../../../docs/policies.md', import.meta.url), 'utf8')).includes('Covers: CWE-89'));
  });
});
