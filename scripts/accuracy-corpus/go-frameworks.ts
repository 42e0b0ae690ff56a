/** Where data enters Go handlers (net/http, gin), and how it moves inside them. */
import type { Framework, Propagation } from './model.ts';

const indent = (lines: string[]) => lines.map((l) => (l ? '\t' + l.replace(/^( {4})+/, (m) => '\t'.repeat(m.length / 4)) : l)).join('\n');
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
const importBlock = (first: string[], imports: string[]) => {
  const all = [...new Set([...first, ...imports])];
  const std = all.filter((i) => !i.includes('.')).sort();
  const external = all.filter((i) => i.includes('.')).sort();
  return `import (\n${std.map((i) => `\t"${i}"`).join('\n')}${external.length ? '\n\n' + external.map((i) => `\t${i.includes(' ') ? i : `"${i}"`}`).join('\n') : ''}\n)`;
};
const topBlock = (top: string[]) => (top.length ? '\n' + top.join('\n\n') + '\n' : '');

/** How a handler stops early with a 400 (guards in sanitized uses). */
export const stop = (fw: Framework, message: string): string[] =>
  fw.id === 'gin' ? [`c.String(http.StatusBadRequest, "${message}")`, 'return'] : [`http.Error(w, "${message}", http.StatusBadRequest)`, 'return'];
/** How a handler gives up on an error value. */
export const check = (fw: Framework, err = 'err'): string[] => [`if ${err} != nil {`, ...stop(fw, 'request failed').map((l) => '    ' + l), '}'];

export function goFrameworks(): Framework[] {
  const netHttp: Framework = {
    id: 'net-http',
    source: (key, i) => [`r.URL.Query().Get("${key}")`, `r.FormValue("${key}")`, `r.Header.Get("X-${cap(key)}")`, `r.PostFormValue("${key}")`, `r.PathValue("${key}")`][i % 5],
    respond: (expr) => `fmt.Fprint(w, ${expr})`,
    render: ({ imports, top, body, unit }) => `package handlers

${importBlock(['fmt', 'net/http'], imports)}
${topBlock(top)}
func ${unit}(w http.ResponseWriter, r *http.Request) {
${indent(body)}
}
`,
  };
  const gin: Framework = {
    id: 'gin',
    source: (key, i) => [`c.Query("${key}")`, `c.Param("${key}")`, `c.PostForm("${key}")`, `c.GetHeader("X-${cap(key)}")`, `c.DefaultQuery("${key}", "")`][i % 5],
    respond: (expr) => `c.String(http.StatusOK, ${expr})`,
    render: ({ imports, top, body, key, unit, i }) => `package api

${importBlock(['net/http', 'github.com/gin-gonic/gin'], imports)}
${topBlock(top)}
func ${unit}(c *gin.Context) {
${indent(body)}
}

func Register${unit}(router *gin.Engine) {
	router.${i % 2 ? 'POST' : 'GET'}("/${key.toLowerCase()}/:${key}", ${unit})
}
`,
  };
  return [netHttp, gin];
}

export function goPropagations(): Propagation[] {
  return [
    { id: 'direct', safeModes: [], apply: (src) => ({ lines: [], expr: src }) },
    { id: 'local', safeModes: [], apply: (src, name) => ({ lines: [`${name} := ${src}`], expr: name }) },
    {
      id: 'helper',
      safeModes: [],
      apply: (src, name) => ({ imports: ['strings'], top: ['func normalize$UNIT(value string) string {\n\treturn strings.TrimSpace(value)\n}'], lines: [`${name} := normalize$UNIT(${src})`], expr: name }),
    },
    {
      id: 'map',
      safeModes: ['otherKey'],
      apply: (src, name, mode, literal) => ({
        lines: [`values := map[string]string{"keyA": ${literal}, "keyB": ${src}}`, `${name} := values["${mode === 'otherKey' ? 'keyA' : 'keyB'}"]`],
        expr: name,
      }),
    },
    {
      id: 'slice',
      safeModes: ['otherKey'],
      apply: (src, name, mode, literal) => ({ lines: [`items := []string{${literal}}`, `items = append(items, ${src})`, `${name} := items[${mode === 'otherKey' ? 0 : 1}]`], expr: name }),
    },
    {
      id: 'struct',
      safeModes: ['otherKey'],
      apply: (src, name, mode, literal) => ({
        top: [`type lookup$UNIT struct {\n\traw    string\n\tpreset string\n}\n\nfunc (l lookup$UNIT) value() string {\n\treturn l.${mode === 'otherKey' ? 'preset' : 'raw'}\n}`],
        lines: [`holder := lookup$UNIT{raw: ${src}, preset: ${literal}}`, `${name} := holder.value()`],
        expr: name,
      }),
    },
    {
      id: 'branch',
      safeModes: ['dead'],
      apply: (src, name, mode, literal) => ({
        lines: ['num := 106', `${name} := ${literal}`, `if (7*18)+num ${mode === 'dead' ? '<' : '>'} 200 {`, `    ${name} = ${src}`, '}'],
        expr: name,
      }),
    },
    {
      id: 'switch',
      safeModes: ['dead'],
      apply: (src, name, mode, literal) => ({
        lines: ['guess := "ABC"', `var ${name} string`, `switch guess[${mode === 'dead' ? 1 : 0}] {`, `case 'A':`, `    ${name} = ${src}`, `case 'B':`, `    ${name} = ${literal}`, 'default:', `    ${name} = ${literal}`, '}'],
        expr: name,
      }),
    },
    {
      id: 'builder',
      safeModes: [],
      apply: (src, name) => ({ imports: ['strings'], lines: ['var sb strings.Builder', `sb.WriteString(${src})`, `${name} := sb.String()`], expr: name }),
    },
    {
      id: 'split-join',
      safeModes: [],
      apply: (src, name) => ({
        imports: ['strings'],
        lines: ['var parts []string', `for _, piece := range strings.Split(${src}, ",") {`, '    parts = append(parts, strings.TrimSpace(piece))', '}', `${name} := strings.Join(parts, ",")`],
        expr: name,
      }),
    },
  ];
}
