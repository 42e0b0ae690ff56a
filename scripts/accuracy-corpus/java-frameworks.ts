/** Where data enters Java handlers (Servlet API, Spring MVC), and how it moves inside them. */
import type { Framework, Propagation } from './model.ts';

const indent = (lines: string[], depth: number) => lines.map((l) => (l ? ' '.repeat(depth) + l : l)).join('\n');
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
const members = (top: string[]) => (top.length ? indent(top.join('\n\n').split('\n'), 4) + '\n\n' : '');
const importBlock = (first: string[], imports: string[]) => [...new Set([...first, ...imports])].sort().map((i) => `import ${i};`).join('\n');

/** How a handler stops early with a 400 (guards in sanitized uses). */
export const stop = (fw: Framework, message: string): string[] =>
  fw.id === 'spring' ? [`return ResponseEntity.badRequest().body("${message}");`] : [`response.sendError(400, "${message}");`, 'return;'];

export function javaFrameworks(): Framework[] {
  const servlet: Framework = {
    id: 'servlet',
    source: (key, i) =>
      [
        `request.getParameter("${key}")`,
        `request.getHeader("X-${cap(key)}")`,
        `request.getParameterMap().get("${key}")[0]`,
        `request.getParameterValues("${key}")[0]`,
        `request.getPathInfo().substring(1)`,
        `request.getReader().readLine()`,
      ][i % 6],
    respond: (expr) => `response.getWriter().println(${expr});`,
    render: ({ imports, top, body, key, unit, i }) => `package com.example.web.${key.toLowerCase()};

${importBlock(['java.io.IOException', 'jakarta.servlet.ServletException', 'jakarta.servlet.annotation.WebServlet', 'jakarta.servlet.http.HttpServlet', 'jakarta.servlet.http.HttpServletRequest', 'jakarta.servlet.http.HttpServletResponse'], imports)}

@WebServlet(value = "/${key}/*")
public class ${unit} extends HttpServlet {

${members(top)}    @Override
    protected void ${i % 2 ? 'doPost' : 'doGet'}(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        response.setContentType("text/html;charset=UTF-8");
        try {
${indent(body, 12)}
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }
}
`,
  };
  const annotations = ['RequestParam', 'PathVariable', 'RequestHeader', 'CookieValue', 'RequestBody'];
  const spring: Framework = {
    id: 'spring',
    source: (key) => `${key}Param`,
    respond: (expr) => `return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(${expr});`,
    render: ({ imports, top, body, key, unit, i }) => {
      const annotation = annotations[i % annotations.length];
      const arg = annotation === 'RequestBody' ? '' : annotation === 'RequestHeader' ? `("X-${cap(key)}")` : `("${key}")`;
      const mapping = annotation === 'RequestBody' ? 'PostMapping' : 'GetMapping';
      const path = annotation === 'PathVariable' ? `/{${key}}` : '';
      return `package com.example.api;

${importBlock(
  [
    'org.springframework.http.MediaType',
    'org.springframework.http.ResponseEntity',
    'jakarta.servlet.http.HttpServletRequest',
    `org.springframework.web.bind.annotation.${annotation}`,
    `org.springframework.web.bind.annotation.${mapping}`,
    'org.springframework.web.bind.annotation.RequestMapping',
    'org.springframework.web.bind.annotation.RestController',
  ],
  imports,
)}

@RestController
@RequestMapping("/api/${key.toLowerCase()}")
public class ${unit} {

${members(top)}    @${mapping}("${path}")
    public ResponseEntity<String> handle(@${annotation}${arg} String ${key}Param, HttpServletRequest request) throws Exception {
${indent(body, 8)}
    }
}
`;
    },
  };
  return [servlet, spring];
}

export function javaPropagations(): Propagation[] {
  return [
    { id: 'direct', safeModes: [], apply: (src) => ({ lines: [], expr: src }) },
    { id: 'local', safeModes: [], apply: (src, name) => ({ lines: [`String ${name} = ${src};`], expr: name }) },
    {
      id: 'helper',
      safeModes: [],
      apply: (src, name) => ({ top: ['private static String normalize(String value) {\n    return value == null ? "" : value.trim();\n}'], lines: [`String ${name} = normalize(${src});`], expr: name }),
    },
    {
      id: 'map',
      safeModes: ['otherKey'],
      apply: (src, name, mode, literal) => ({
        imports: ['java.util.HashMap', 'java.util.Map'],
        lines: ['Map<String, Object> values = new HashMap<>();', `values.put("keyA", ${literal});`, `values.put("keyB", ${src});`, `String ${name} = (String) values.get("${mode === 'otherKey' ? 'keyA' : 'keyB'}");`],
        expr: name,
      }),
    },
    {
      id: 'ternary',
      safeModes: ['dead'],
      apply: (src, name, mode, literal) => ({
        lines: ['int num = 106;', `String ${name} = (7 * 18) + num > 200 ? ${mode === 'dead' ? literal : src} : ${mode === 'dead' ? src : literal};`],
        expr: name,
      }),
    },
    {
      id: 'list',
      safeModes: ['otherKey'],
      apply: (src, name, mode, literal) => ({
        imports: ['java.util.ArrayList', 'java.util.List'],
        lines: ['List<String> items = new ArrayList<>();', `items.add(${literal});`, `items.add(${src});`, `String ${name} = items.get(${mode === 'otherKey' ? 0 : 1});`],
        expr: name,
      }),
    },
    {
      id: 'switch',
      safeModes: ['dead'],
      apply: (src, name, mode, literal) => ({
        lines: [
          'String guess = "ABC";',
          `char switchTarget = guess.charAt(${mode === 'dead' ? 1 : 0});`,
          `String ${name};`,
          'switch (switchTarget) {',
          `    case 'A':`,
          `        ${name} = ${src};`,
          '        break;',
          `    case 'B':`,
          `        ${name} = ${literal};`,
          '        break;',
          '    default:',
          `        ${name} = ${literal};`,
          '}',
        ],
        expr: name,
      }),
    },
    {
      id: 'builder',
      safeModes: [],
      apply: (src, name) => ({ lines: ['StringBuilder buffer = new StringBuilder();', `buffer.append(${src});`, `String ${name} = buffer.toString();`], expr: name }),
    },
    {
      id: 'inner-class',
      safeModes: ['otherKey'],
      apply: (src, name, mode, literal) => ({
        top: [
          `private static final class Holder {\n    private final String value;\n    private final String preset = ${literal};\n\n    Holder(String value) {\n        this.value = value;\n    }\n\n    String get() {\n        return ${mode === 'otherKey' ? 'preset' : 'value'};\n    }\n}`,
        ],
        lines: [`String ${name} = new Holder(${src}).get();`],
        expr: name,
      }),
    },
    {
      id: 'if-guard',
      safeModes: ['dead'],
      apply: (src, name, mode, literal) => ({
        lines: [`String ${name} = ${literal};`, `if ((500 / 42) + 196 ${mode === 'dead' ? '<' : '>'} 200) {`, `    ${name} = ${src};`, '}'],
        expr: name,
      }),
    },
    {
      id: 'base64',
      safeModes: [],
      apply: (src, name) => ({
        imports: ['java.util.Base64'],
        lines: [`String encoded = Base64.getEncoder().encodeToString(${src}.getBytes());`, `String ${name} = new String(Base64.getDecoder().decode(encoded));`],
        expr: name,
      }),
    },
  ];
}
