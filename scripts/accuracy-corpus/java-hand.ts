/** Hand-written Java pairs in the shape of application code: DAOs, services, helpers, loops. */
import { pair, type FixedGroup } from './model.ts';

const servlet = (imports: string, members: string, body: string) => `package com.example.web;

import java.io.IOException;
${imports}import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

public class $UNIT extends HttpServlet {

${members}

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
${body}
    }
}
`;

const dao = (find: string) =>
  servlet(
    'import java.sql.*;\nimport java.util.ArrayList;\nimport java.util.List;\nimport javax.sql.DataSource;\n',
    `    static final class UserDao {
        private final DataSource dataSource;

        UserDao(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        List<String> findByName(String name) throws SQLException {
            List<String> emails = new ArrayList<>();
            try (Connection conn = dataSource.getConnection()) {
${find}
                while (rs.next()) emails.add(rs.getString("email"));
            }
            return emails;
        }
    }

    private UserDao users;`,
    `        try {
            response.getWriter().println(users.findByName(request.getParameter("name")).size());
        } catch (SQLException e) {
            throw new ServletException(e);
        }`,
  );

const uploads = (resolve: string) =>
  servlet(
    'import java.io.File;\nimport java.nio.file.Files;\n',
    `    private static final File UPLOAD_ROOT = new File("/srv/uploads");

    private static File resolveUpload(String name) throws IOException {
${resolve}
    }`,
    `        File file = resolveUpload(request.getParameter("file"));
        response.setContentType("application/octet-stream");
        Files.copy(file.toPath(), response.getOutputStream());`,
  );

const tags = (cell: string, imports = '') =>
  servlet(
    `import java.io.PrintWriter;\n${imports}`,
    '    private static final String HEADER = "<table><tr><th>Tag</th></tr>";',
    `        response.setContentType("text/html;charset=UTF-8");
        PrintWriter out = response.getWriter();
        out.println(HEADER);
        String[] tags = request.getParameterValues("tag");
        if (tags != null) {
            for (String tag : tags) {
                out.println("<tr><td>" + ${cell} + "</td></tr>");
            }
        }
        out.println("</table>");`,
  );

const importer = (factory: string) =>
  servlet(
    'import javax.xml.parsers.DocumentBuilder;\nimport javax.xml.parsers.DocumentBuilderFactory;\nimport org.w3c.dom.Document;\n',
    `    static final class XmlImporter {
        private final DocumentBuilderFactory factory;

        XmlImporter() throws Exception {
            factory = DocumentBuilderFactory.newInstance();
${factory}        }

        Document parse(java.io.InputStream in) throws Exception {
            DocumentBuilder builder = factory.newDocumentBuilder();
            return builder.parse(in);
        }
    }`,
    `        try {
            Document doc = new XmlImporter().parse(request.getInputStream());
            response.getWriter().println(doc.getDocumentElement().getChildNodes().getLength());
        } catch (Exception e) {
            throw new ServletException(e);
        }`,
  );

const spring = (imports: string, members: string, method: string) => `package com.example.api;

import jakarta.servlet.http.HttpSession;
${imports}import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api")
public class $UNIT {

${members}

${method}
}
`;

const tenant = (value: string) =>
  spring(
    'import java.util.Map;\n',
    `    private static final Map<String, String> TENANTS = Map.of("acme", "t-001", "globex", "t-002");

    private static void remember(HttpSession session, String tenant) {
        session.setAttribute("tenant", tenant);
    }`,
    `    @PostMapping("/tenant")
    public String select(@RequestHeader("X-Tenant") String requested, HttpSession session) {
        remember(session, ${value});
        return "ok";
    }`,
  );

const readBody = (read: string, imports: string) =>
  spring(
    `${imports}import jakarta.servlet.http.HttpServletRequest;\n`,
    '    public record Preferences(String theme, String language) {}',
    `    @PostMapping("/preferences")
    public String restore(HttpServletRequest request, HttpSession session) throws Exception {
${read}
        session.setAttribute("theme", "restored");
        return "ok";
    }`,
  );

const xpathHelper = (evaluate: string, imports = '') =>
  servlet(
    `import javax.xml.xpath.XPath;\nimport javax.xml.xpath.XPathFactory;\nimport org.xml.sax.InputSource;\n${imports}`,
    `    private static String roleOf(String user) throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
${evaluate}
    }`,
    `        try {
            response.getWriter().println(roleOf(request.getParameter("user")));
        } catch (Exception e) {
            throw new ServletException(e);
        }`,
  );

export function javaHand(): FixedGroup[] {
  return [
    {
      cwe: 'CWE-89',
      stem: 'app',
      cases: pair(
        'dao',
        dao(`                Statement st = conn.createStatement();\n                ResultSet rs = st.executeQuery("SELECT email FROM users WHERE name = '" + name + "'");`),
        dao(`                PreparedStatement st = conn.prepareStatement("SELECT email FROM users WHERE name = ?");\n                st.setString(1, name);\n                ResultSet rs = st.executeQuery();`),
      ),
    },
    {
      cwe: 'CWE-22',
      stem: 'app',
      cases: pair(
        'helper',
        uploads('        return new File(UPLOAD_ROOT, name);'),
        uploads('        File candidate = new File(UPLOAD_ROOT, name).getCanonicalFile();\n        if (!candidate.toPath().startsWith(UPLOAD_ROOT.getCanonicalFile().toPath())) {\n            throw new IOException("outside the upload directory");\n        }\n        return candidate;'),
      ),
    },
    { cwe: 'CWE-79', stem: 'app', cases: pair('loop', tags('tag'), tags('Encode.forHtml(tag)', 'import org.owasp.encoder.Encode;\n')) },
    { cwe: 'CWE-611', stem: 'app', cases: pair('importer', importer(''), importer('            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);\n            factory.setExpandEntityReferences(false);\n')) },
    { cwe: 'CWE-501', stem: 'app', cases: pair('helper', tenant('requested'), tenant('TENANTS.getOrDefault(requested.toLowerCase(), "t-000")')) },
    {
      cwe: 'CWE-502',
      stem: 'app',
      cases: pair(
        'body',
        readBody('        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(request.getInputStream())) {\n            Preferences prefs = (Preferences) in.readObject();\n        }', ''),
        readBody('        Preferences prefs = new ObjectMapper().readValue(request.getInputStream(), Preferences.class);', 'import com.fasterxml.jackson.databind.ObjectMapper;\n'),
      ),
    },
    {
      cwe: 'CWE-643',
      stem: 'app',
      cases: pair(
        'helper',
        xpathHelper(`        String expression = "/users/user[@login='" + user + "']/role";\n        return xpath.evaluate(expression, new InputSource("users.xml"));`),
        xpathHelper(`        xpath.setXPathVariableResolver((QName name) -> "login".equals(name.getLocalPart()) ? user : null);\n        return xpath.evaluate("/users/user[@login=$login]/role", new InputSource("users.xml"));`, 'import javax.xml.namespace.QName;\n'),
      ),
    },
    {
      // An HTML encoder leaves the LDAP filter metacharacters * ( ) \\ alone.
      cwe: 'CWE-90',
      stem: 'mixed',
      cases: pair('wrong-encoder', ldapLookup('Encode.forHtml(user)', 'import org.owasp.encoder.Encode;\n'), ldapLookup('LdapEncoder.filterEncode(user)', 'import org.springframework.ldap.support.LdapEncoder;\n')),
    },
    {
      cwe: 'CWE-89',
      stem: 'mixed',
      cases: [
        { vulnerable: false, text: constantTable('private static final String TABLE = "audit_log";') },
        { vulnerable: false, text: constantTable('private final String TABLE = System.getProperty("audit.table", "audit_log");') },
      ],
    },
  ];
}

function ldapLookup(filterValue: string, imports: string): string {
  return servlet(
    `import javax.naming.NamingEnumeration;\nimport javax.naming.directory.DirContext;\nimport javax.naming.directory.InitialDirContext;\nimport javax.naming.directory.SearchControls;\nimport javax.naming.directory.SearchResult;\n${imports}`,
    '    private static final String BASE = "ou=people,dc=example,dc=com";',
    `        String user = request.getParameter("user");
        try {
            DirContext ctx = new InitialDirContext();
            NamingEnumeration<SearchResult> found = ctx.search(BASE, "(uid=" + ${filterValue} + ")", new SearchControls());
            response.getWriter().println(found.hasMore() ? "known" : "unknown");
        } catch (Exception e) {
            throw new ServletException(e);
        }`,
  );
}

function constantTable(field: string): string {
  return servlet(
    'import java.sql.Connection;\nimport java.sql.ResultSet;\nimport javax.sql.DataSource;\n',
    `    ${field}\n    private DataSource dataSource;`,
    `        try (Connection conn = dataSource.getConnection()) {
            int limit = Integer.parseInt(request.getParameter("limit"));
            ResultSet rs = conn.createStatement().executeQuery("SELECT id, action FROM " + TABLE + " ORDER BY id DESC LIMIT " + limit);
            response.getWriter().println(rs.next() ? "entries" : "empty");
        } catch (Exception e) {
            throw new ServletException(e);
        }`,
  );
}
