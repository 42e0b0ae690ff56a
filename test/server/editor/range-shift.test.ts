import assert from 'node:assert/strict';
import { shiftRange } from '../../../extension/analysis/range-shift.ts';

// Markers that move with edits (extension/analysis/range-shift.ts): pure position arithmetic, so it
// is checked here without an editor; the in-host suite checks it on a real document.
const range = (startLine: number, startColumn: number, endLine: number, endColumn: number) => ({ startLine, startColumn, endLine, endColumn });
const at = (line: number, column: number) => range(line, column, line, column);

describe('live analysis: finding ranges follow edits until the next analysis', () => {
  // `eval(input)` on line 4, columns 10-21.
  const finding = range(4, 10, 4, 21);

  it('moves down with lines inserted above, and up with lines deleted above', () => {
    assert.deepEqual(shiftRange(finding, [{ range: at(1, 1), text: '// a\n// b\n' }]), range(6, 10, 6, 21));
    assert.deepEqual(shiftRange(finding, [{ range: range(1, 1, 3, 1), text: '' }]), range(2, 10, 2, 21));
  });

  it('moves right with text typed before it on its line, and not for text after it', () => {
    assert.deepEqual(shiftRange(finding, [{ range: at(4, 3), text: 'await ' }]), range(4, 16, 4, 27));
    assert.deepEqual(shiftRange(finding, [{ range: at(4, 30), text: ' // ok' }]), finding);
    assert.deepEqual(shiftRange(finding, [{ range: at(5, 1), text: 'x\n' }]), finding);
  });

  it('text typed at its start goes before it; at its end, outside it', () => {
    assert.deepEqual(shiftRange(finding, [{ range: at(4, 10), text: 'globalThis.' }]), range(4, 21, 4, 32));
    assert.deepEqual(shiftRange(finding, [{ range: at(4, 21), text: ';' }]), finding);
  });

  it('stretches and shrinks with edits inside it, and covers the text that replaced it when an edit swallowed it', () => {
    assert.deepEqual(shiftRange(finding, [{ range: range(4, 15, 4, 20), text: 'userInput' }]), range(4, 10, 4, 25));
    assert.deepEqual(shiftRange(finding, [{ range: range(3, 1, 5, 1), text: 'safe();\n' }]), range(3, 1, 4, 1));
  });

  it('applies the edits of one change event in order, across lines', () => {
    assert.deepEqual(
      shiftRange(finding, [
        { range: at(4, 1), text: '\n' },
        { range: at(1, 1), text: 'a\nb\n' },
      ]),
      range(7, 10, 7, 21),
    );
    assert.deepEqual(shiftRange(finding, [{ range: range(2, 5, 4, 3), text: 'x' }]), range(2, 13, 2, 24));
  });
});
