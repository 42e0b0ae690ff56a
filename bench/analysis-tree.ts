import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { prng } from '../test/server/helpers/prng.ts';

/**
 * A synthetic repository for bench/analysis.bench.ts: a deterministic mix of JS, TS, TSX, Python,
 * Go, Java and config files, 40-250 lines each, with secrets and dangerous calls seeded into a few.
 */

const WORDS = ['user', 'order', 'item', 'cart', 'price', 'total', 'count', 'name', 'value', 'result', 'cache', 'index', 'entry', 'record', 'config'];
const SECRETS = [
  'AKIA' + 'Q3EGRJ7ZK2M5TXWB',
  'ghp_' + 'x7Kq2LmN9pRt4VwY8zA1bC3dE5fG6hJ0kM2n',
  'sk_live_' + '4eC39HqLyjWDarjtT1zdp7dc9Xk2',
  'AIza' + 'SyD4x9-Qm2Lk7Vb3Np8Rt5Wz1Yc6He0Jf_g',
];

type Body = (random: () => number, word: () => string, i: number) => string;

const JS_FUNCTION: Body = (r, w, i) =>
  `export function ${w()}${i}(${w()}, ${w()}) {\n  const ${w()}List = [];\n  for (let k = 0; k < ${Math.floor(r() * 50)}; k++) {\n    if (k % 3 === 0 && ${w()}) {\n      ${w()}List.push({ id: k, label: \`${w()}-\${k}\` });\n    } else {\n      ${w()}List.push(null);\n    }\n  }\n  return ${w()}List.filter(Boolean).map((x) => x.id * 2);\n}\n`;
const TS_FUNCTION: Body = (r, w, i) =>
  `export async function ${w()}${i}(${w()}: string, limit = ${Math.floor(r() * 100)}): Promise<number[]> {\n  const out: number[] = [];\n  for (const ch of ${w()}.slice(0, limit)) {\n    if (ch === '${w()[0]}' || ch === 'x') out.push(ch.charCodeAt(0));\n  }\n  try {\n    return out.sort((a, b) => a - b);\n  } catch (error) {\n    throw new Error(String(error));\n  }\n}\n`;
const PY_FUNCTION: Body = (r, w, i) =>
  `def ${w()}_${i}(${w()}, ${w()}=None):\n    result = []\n    for k in range(${Math.floor(r() * 50)}):\n        if k % 2 == 0 and ${w()}:\n            result.append({"id": k, "label": f"${w()}-{k}"})\n        else:\n            result.append(None)\n    return [x for x in result if x]\n\n\n`;
const GO_FUNCTION: Body = (r, w, i) =>
  `func ${w()}${i}(${w()} []int) int {\n\ttotal := 0\n\tfor _, v := range ${w()} {\n\t\tif v > ${Math.floor(r() * 9)} && v < 100 {\n\t\t\ttotal += v\n\t\t}\n\t}\n\treturn total\n}\n\n`;
const JAVA_METHOD: Body = (r, w, i) =>
  `    public int ${w()}${i}(int[] ${w()}) {\n        int total = 0;\n        for (int v : ${w()}) {\n            if (v > ${Math.floor(r() * 9)} && v < 100) {\n                total += v;\n            }\n        }\n        return total;\n    }\n\n`;

const SEEDED: Record<string, string[]> = {
  js: ['  return eval(input);\n', "  cp.exec('ls ' + dir);\n", "  db.query('SELECT * FROM t WHERE id = ' + id);\n"],
  ts: ['  return new Function(body)();\n', '  el.innerHTML = html;\n', '  const agent = { rejectUnauthorized: false };\n'],
  py: ['    return eval(expr)\n', '    requests.get(url, verify=False)\n', '    os.system("rm " + path)\n'],
  go: ['\tc := &tls.Config{InsecureSkipVerify: true}\n', '\texec.Command("sh", "-c", "ls "+dir).Run()\n'],
  java: ['        Runtime.getRuntime().exec("ls " + dir);\n'],
};

function sourceFile(kind: string, r: () => number, index: number): string {
  const word = () => WORDS[Math.floor(r() * WORDS.length)]!;
  const functions = 2 + Math.floor(r() * 12);
  const seed = r() < 0.05 ? SEEDED[kind === 'tsx' ? 'ts' : kind]![Math.floor(r() * SEEDED[kind === 'tsx' ? 'ts' : kind]!.length)] : undefined;
  const secret = r() < 0.02 ? SECRETS[Math.floor(r() * SECRETS.length)] : undefined;
  const parts: string[] = [];
  const body = { js: JS_FUNCTION, ts: TS_FUNCTION, tsx: TS_FUNCTION, py: PY_FUNCTION, go: GO_FUNCTION, java: JAVA_METHOD }[kind]!;
  for (let i = 0; i < functions; i++) parts.push(body(r, word, i));
  const seededBlock = seed ? { js: `export function risky(input, dir, db, id) {\n${seed}}\n`, ts: `export function risky(body: string, el: HTMLElement, html: string) {\n${seed}}\n`, tsx: `export function risky(body: string, el: HTMLElement, html: string) {\n${seed}}\n`, py: `def risky(expr, url, path):\n${seed}\n\n`, go: `func risky(dir string) {\n${seed}}\n\n`, java: `    public void risky(String dir) throws Exception {\n${seed}    }\n` }[kind]! : '';
  const secretLine = secret ? { js: `const key = '${secret}';\n`, ts: `const key = '${secret}';\n`, tsx: `const key = '${secret}';\n`, py: `KEY = "${secret}"\n`, go: `const key = "${secret}"\n`, java: `    static final String KEY = "${secret}";\n` }[kind]! : '';
  switch (kind) {
    case 'go':
      return `package pkg${index % 50}\n\n${secretLine}${parts.join('')}${seededBlock}`;
    case 'java':
      return `public class C${index} {\n${secretLine}${parts.join('')}${seededBlock}}\n`;
    case 'tsx':
      return `${secretLine}${parts.join('')}${seededBlock}export const View${index} = () => <div className="${word()}">{${index}}</div>;\n`;
    default:
      return `${secretLine}${parts.join('')}${seededBlock}`;
  }
}

const KINDS: Array<[string, number]> = [['js', 0.25], ['ts', 0.2], ['tsx', 0.05], ['py', 0.2], ['go', 0.13], ['java', 0.12], ['yml', 0.05]];

export function generateTree(root: string, count: number): { paths: string[]; bytes: number } {
  const r = prng(42);
  const paths: string[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    let pick = r();
    const kind = KINDS.find(([, share]) => (pick -= share) < 0)?.[0] ?? 'js';
    const content = kind === 'yml' ? `service: s${i}\nreplicas: ${i % 5}\n${r() < 0.1 ? `password: "Hk4!pZ8@wQ1#${i}"\n` : ''}` : sourceFile(kind, r, i);
    const path = `pkg${i % 100}/mod${Math.floor(i / 100) % 10}/file${i}.${kind === 'py' ? 'py' : kind === 'java' ? 'java' : kind}`;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    paths.push(path);
    bytes += Buffer.byteLength(content);
  }
  return { paths, bytes };
}
