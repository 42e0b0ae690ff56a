import assert from 'node:assert/strict';
import { markdownToSafeHtml } from '#protocol/markdown-html.ts';

describe('report Markdown → HTML: code highlighting', () => {
  const fence = (lang: string, code: string) => markdownToSafeHtml(`\`\`\`${lang}\n${code}\n\`\`\`\n`).html;

  it('highlights the analysed languages and what reports quote, by name or alias', () => {
    const samples: Array<[string, string, RegExp]> = [
      ['ts', 'const x: number = 1;', /<span class="hljs-keyword">const<\/span>/],
      ['tsx', 'export const A = () => null;', /<span class="hljs-keyword">export<\/span>/],
      ['js', 'function f() { return 1; }', /<span class="hljs-keyword">function<\/span>/],
      ['py', 'def f():\n    return None', /<span class="hljs-keyword">def<\/span>/],
      ['go', 'func main() {}', /<span class="hljs-keyword">func<\/span>/],
      ['java', 'public class A {}', /<span class="hljs-keyword">public<\/span>/],
      ['sql', 'SELECT * FROM t', /<span class="hljs-keyword">SELECT<\/span>/],
      ['sh', 'echo "hi"', /<span class="hljs-built_in">echo<\/span>/],
      ['yml', 'key: value', /<span class="hljs-attr">key:<\/span>/],
      ['diff', '-old\n+new', /<span class="hljs-addition">\+new<\/span>/],
    ];
    for (const [lang, code, expected] of samples) assert.match(fence(lang, code), expected, lang);
  });

  it('renders a language it does not know as escaped plain text', () => {
    const html = fence('haskell', 'main = putStrLn "<b>"');
    assert.ok(!html.includes('hljs-'), html);
    assert.ok(html.includes('&lt;b&gt;'), html);
  });
});
