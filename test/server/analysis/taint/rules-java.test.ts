import { assertFlow, assertNoFlow } from './taint-helpers.ts';

/**
 * Every flow rule in Java (Servlet and Spring): a vulnerable case with its flow from the SOURCE line
 * to the SINK line, and a safe twin of the same shape.
 */
const servlet = (body: string, extra = '') => `import java.io.*;
import javax.servlet.http.*;

public class Handler extends HttpServlet {
    public void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
${body}
    }
${extra}
}
`;

interface Case {
  rule: string;
  name: string;
  vulnerable: string;
  safe: string;
}

const cases: Case[] = [
  { rule: 'sql', name: 'Statement through a built string', vulnerable: servlet(`        String id = request.getParameter("id"); // SOURCE
        String sql = "SELECT * FROM users WHERE id = '" + id + "'";
        java.sql.Statement st = conn.createStatement();
        st.executeQuery(sql); // SINK`), safe: servlet(`        String id = request.getParameter("id");
        java.sql.PreparedStatement ps = conn.prepareStatement("SELECT * FROM users WHERE id = ?");
        ps.setString(1, id);
        ps.executeQuery();`) },
  { rule: 'sql', name: 'Spring JdbcTemplate with @RequestParam', vulnerable: `class C {
    @GetMapping("/u")
    public Object find(@RequestParam("name") String name) { // SOURCE
        return jdbcTemplate.queryForList("SELECT * FROM u WHERE name = '" + name + "'"); // SINK
    }
}
`, safe: `class C {
    @GetMapping("/u")
    public Object find(@RequestParam("id") int id) {
        return jdbcTemplate.queryForList("SELECT * FROM u WHERE id = " + id);
    }
}
` },
  { rule: 'command', name: 'Runtime.exec through a Runtime local', vulnerable: servlet(`        String dir = request.getHeader("X-Dir"); // SOURCE
        Runtime r = Runtime.getRuntime();
        r.exec("ls " + dir); // SINK`), safe: servlet(`        String dir = request.getHeader("X-Dir");
        Runtime r = Runtime.getRuntime();
        r.exec("ls " + (dir.equals("tmp") ? "/tmp" : "/var"));`) },
  { rule: 'command', name: 'ProcessBuilder', vulnerable: servlet(`        String arg = request.getParameter("a"); // SOURCE
        new ProcessBuilder("sh", "-c", "echo " + arg).start(); // SINK`), safe: servlet(`        int n = Integer.parseInt(request.getParameter("a"));
        new ProcessBuilder("sh", "-c", "echo " + n).start();`) },
  { rule: 'path-traversal', name: 'java.io.File', vulnerable: servlet(`        String name = request.getParameter("f"); // SOURCE
        java.io.File file = new java.io.File("/srv/files/" + name); // SINK`), safe: servlet(`        String name = request.getParameter("f");
        java.io.File file = new java.io.File("/srv/files/" + org.apache.commons.io.FilenameUtils.getName(name));`) },
  { rule: 'xss', name: 'servlet writer', vulnerable: servlet(`        String q = request.getParameter("q"); // SOURCE
        response.getWriter().println("<p>" + q + "</p>"); // SINK`), safe: servlet(`        String q = request.getParameter("q");
        response.getWriter().println("<p>" + org.owasp.esapi.ESAPI.encoder().encodeForHTML(q) + "</p>");`) },
  { rule: 'ldap', name: 'DirContext.search filter', vulnerable: servlet(`        String user = request.getParameter("user"); // SOURCE
        javax.naming.directory.DirContext ctx = getContext();
        ctx.search("ou=people", "(uid=" + user + ")", controls); // SINK`), safe: servlet(`        String user = request.getParameter("user");
        javax.naming.directory.DirContext ctx = getContext();
        ctx.search("ou=people", "(uid=" + org.owasp.esapi.ESAPI.encoder().encodeForLDAP(user) + ")", controls);`) },
  { rule: 'xpath', name: 'XPath.evaluate', vulnerable: servlet(`        String name = request.getParameter("name"); // SOURCE
        javax.xml.xpath.XPath xp = javax.xml.xpath.XPathFactory.newInstance().newXPath();
        xp.evaluate("/users/user[@name='" + name + "']", doc); // SINK`), safe: servlet(`        String name = request.getParameter("name");
        javax.xml.xpath.XPath xp = javax.xml.xpath.XPathFactory.newInstance().newXPath();
        xp.evaluate("/users/user[@name='" + org.owasp.esapi.ESAPI.encoder().encodeForXPath(name) + "']", doc);`) },
  { rule: 'trust-boundary', name: 'session attribute', vulnerable: servlet(`        String user = request.getParameter("user"); // SOURCE
        request.getSession().setAttribute("user", user); // SINK`), safe: servlet(`        String user = request.getParameter("user");
        if (ALLOWED.contains(user)) request.getSession().setAttribute("user", user);`) },
  { rule: 'ssrf', name: 'URL.openConnection', vulnerable: servlet(`        String target = request.getParameter("url"); // SOURCE
        java.net.URL url = new java.net.URL(target);
        url.openConnection(); // SINK`), safe: servlet(`        String target = request.getParameter("url");
        java.net.URL url = new java.net.URL("https://api.example.com/?q=" + java.net.URLEncoder.encode(target, "UTF-8"));
        url.openConnection();`) },
  { rule: 'open-redirect', name: 'sendRedirect', vulnerable: servlet(`        String next = request.getParameter("next"); // SOURCE
        response.sendRedirect(next); // SINK`), safe: servlet(`        String next = request.getParameter("next");
        response.sendRedirect("/home");`) },
  { rule: 'nosql', name: 'Mongo $where', vulnerable: servlet(`        String name = request.getParameter("name"); // SOURCE
        collection.find(new BasicDBObject("$where", "this.name == '" + name + "'")); // SINK`), safe: servlet(`        String name = request.getParameter("name");
        collection.find(new BasicDBObject("name", name));`) },
  { rule: 'log', name: 'logger with request data', vulnerable: servlet(`        String user = request.getParameter("user"); // SOURCE
        LOGGER.info("login failed for " + user); // SINK`), safe: servlet(`        String user = request.getParameter("user");
        LOGGER.info("login failed for " + user.length() + " chars");`) },
  { rule: 'code', name: 'ScriptEngine.eval', vulnerable: servlet(`        String expr = request.getParameter("expr"); // SOURCE
        javax.script.ScriptEngine engine = manager.getEngineByName("js");
        engine.eval(expr); // SINK`), safe: servlet(`        String expr = request.getParameter("expr");
        javax.script.ScriptEngine engine = manager.getEngineByName("js");
        engine.eval("1 + 1");`) },
  { rule: 'deserialization', name: 'ObjectInputStream on the request body', vulnerable: servlet(`        java.io.ObjectInputStream in = new java.io.ObjectInputStream(request.getInputStream()); // SOURCE
        Object o = in.readObject(); // SINK`), safe: servlet(`        java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.FileInputStream("/etc/app/state.bin"));
        Object o = in.readObject();`) },
  { rule: 'regex', name: 'Pattern.compile', vulnerable: servlet(`        String q = request.getParameter("q"); // SOURCE
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(q); // SINK`), safe: servlet(`        String q = request.getParameter("q");
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(q));`) },
];

describe('flow rules in Java: vulnerable and safe twins', () => {
  for (const c of cases) {
    it(`nyx/injection/${c.rule}: ${c.name}`, () => {
      assertFlow('src/main/java/Handler.java', c.vulnerable, `nyx/injection/${c.rule}`, 'SOURCE', 'SINK');
      assertNoFlow('src/main/java/Handler.java', c.safe, `nyx/injection/${c.rule}`);
    });
  }
});

describe('taint engine on Java shapes', () => {
  const shape = (body: string, extra = '') => servlet(body, extra);

  it('a list with add/remove/get by constant index keeps the safe element apart', () => {
    const code = shape(`        String param = request.getParameter("p"); // SOURCE
        java.util.List<String> values = new java.util.ArrayList<String>();
        values.add("safe");
        values.add(param);
        values.add("moresafe");
        values.remove(0);
        String bar = values.get(INDEX);
        response.getWriter().println(bar); // SINK`);
    assertFlow('L.java', code.replace('INDEX', '0'), 'nyx/injection/xss', 'SOURCE', 'SINK');
    assertNoFlow('L.java', code.replace('INDEX', '1'));
  });

  it('a switch on a constant character folds to one case', () => {
    const code = shape(`        String param = request.getParameter("p"); // SOURCE
        String guess = "ABC";
        char target = guess.charAt(INDEX);
        String bar;
        switch (target) {
            case 'A': bar = param; break;
            case 'B': bar = "bob"; break;
            case 'C':
            case 'D': bar = "safe"; break;
            default: bar = param; break;
        }
        response.getWriter().println(bar); // SINK`);
    assertFlow('S.java', code.replace('INDEX', '0'), 'nyx/injection/xss', 'SOURCE', 'SINK');
    assertNoFlow('S.java', code.replace('INDEX', '2'));
  });

  it('StringBuilder append/toString and a HashMap by key through an inner class method', () => {
    const code = shape(`        String param = request.getParameter("p"); // SOURCE
        String bar = new Inner().pick(param);
        StringBuilder sb = new StringBuilder();
        sb.append("ls ").append(bar);
        Runtime.getRuntime().exec(sb.toString()); // SINK`, `
    private class Inner {
        public String pick(String param) {
            java.util.HashMap<String, Object> map = new java.util.HashMap<String, Object>();
            map.put("keyA", "a-Value");
            map.put("keyB", param);
            return (String) map.get(KEY);
        }
    }`);
    assertFlow('I.java', code.replace('KEY', '"keyB"'), 'nyx/injection/command', 'SOURCE', 'SINK');
    assertNoFlow('I.java', code.replace('KEY', '"keyA"'));
  });

  it('folds arithmetic on literal-assigned locals in a ternary', () => {
    const code = shape(`        String param = request.getParameter("p"); // SOURCE
        int num = 106;
        String bar = (7 * 18) + num OP 200 ? "This_should_always_happen" : param;
        new java.io.FileInputStream(bar); // SINK`);
    assertFlow('T.java', code.replace('OP', '<'), 'nyx/injection/path-traversal', 'SOURCE', 'SINK');
    assertNoFlow('T.java', code.replace('OP', '>'));
  });

  it('a field set in one method is read in another', () => {
    const code = `class Holder {
    private String value;
    void set(HttpServletRequest request) { value = request.getParameter("v"); } // SOURCE
    void run() throws Exception { Runtime.getRuntime().exec(value); } // SINK
}
`;
    assertFlow('F.java', code, 'nyx/injection/command', 'SOURCE', 'SINK');
    assertNoFlow('F.java', code.replace('request.getParameter("v")', '"ls"'));
  });

  it('cookies through an enhanced for loop', () => {
    const code = shape(`        javax.servlet.http.Cookie[] cookies = request.getCookies(); // SOURCE
        String param = "none";
        for (javax.servlet.http.Cookie c : cookies) {
            if (c.getName().equals("vector")) param = java.net.URLDecoder.decode(c.getValue(), "UTF-8");
        }
        response.getWriter().printf(param); // SINK`);
    assertFlow('K.java', code, 'nyx/injection/xss', 'SOURCE', 'SINK');
  });
});
