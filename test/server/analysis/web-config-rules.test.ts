import { describeCases, safe, vulnerable } from './rule-cases.ts';

const SECURE = 'nyx/web/cookie-without-secure';
const HTTPONLY = 'nyx/web/cookie-without-httponly';
const SECRET = 'nyx/web/hardcoded-session-secret';
const CSRF = 'nyx/web/csrf-disabled';
const AUTOESCAPE = 'nyx/web/autoescape-disabled';

const servlet = (flags: string) => `class A {
  void f(javax.servlet.http.HttpServletResponse response, String v) {
    javax.servlet.http.Cookie cookie = new javax.servlet.http.Cookie("SomeCookie", v);
${flags}
    response.addCookie(cookie);
  }
}
`;

describe('cookie flags (nyx/web/cookie-without-secure, nyx/web/cookie-without-httponly)', () => {
  describeCases([
    vulnerable('servlet cookie without setSecure', 'A.java', servlet('    cookie.setHttpOnly(true);'), SECURE),
    vulnerable('servlet cookie with setSecure(false)', 'A.java', servlet('    cookie.setSecure(false);\n    cookie.setHttpOnly(true);'), SECURE),
    safe('servlet cookie with setSecure(true)', 'A.java', servlet('    cookie.setSecure(true);\n    cookie.setHttpOnly(true);'), SECURE),
    vulnerable('servlet cookie without setHttpOnly', 'A.java', servlet('    cookie.setSecure(true);'), HTTPONLY),
    safe('servlet cookie with setHttpOnly(true)', 'A.java', servlet('    cookie.setSecure(true);\n    cookie.setHttpOnly(true);'), HTTPONLY),
    safe('servlet cookie returned, not added here', 'A.java', 'class A { javax.servlet.http.Cookie make(String v) { javax.servlet.http.Cookie c = new javax.servlet.http.Cookie("a", v); return c; } }\n', SECURE),
    vulnerable('Spring ResponseCookie without secure', 'A.java', 'class A { Object f(String v) { return ResponseCookie.from("sid", v).httpOnly(true).path("/").build(); } }\n', SECURE),
    safe('Spring ResponseCookie with secure', 'A.java', 'class A { Object f(String v) { return ResponseCookie.from("sid", v).httpOnly(true).secure(true).build(); } }\n', SECURE),
    vulnerable('Express res.cookie without options', 'a.js', "app.get('/', (req, res) => { res.cookie('sid', id); });\n", SECURE),
    vulnerable('Express res.cookie without httpOnly', 'a.js', "res.cookie('sid', id, { secure: true });\n", HTTPONLY),
    safe('Express res.cookie with both flags', 'a.js', "res.cookie('sid', id, { secure: true, httpOnly: true });\n", SECURE),
    safe('Express res.cookie with both flags (httpOnly)', 'a.js', "res.cookie('sid', id, { secure: true, httpOnly: true });\n", HTTPONLY),
    vulnerable('express-session cookie secure: false', 'a.js', "const session = require('express-session');\napp.use(session({ secret: process.env.S, cookie: { secure: false } }));\n", SECURE),
    safe('express-session cookie secure: true', 'a.js', "const session = require('express-session');\napp.use(session({ secret: process.env.S, cookie: { secure: true } }));\n", SECURE),
    vulnerable('Flask set_cookie without secure', 'a.py', 'resp = make_response("ok")\nresp.set_cookie("sid", sid, httponly=True)\n', SECURE),
    vulnerable('Flask set_cookie without httponly', 'a.py', 'resp.set_cookie("sid", sid, secure=True)\n', HTTPONLY),
    safe('Flask set_cookie with both flags', 'a.py', 'resp.set_cookie("sid", sid, secure=True, httponly=True, samesite="Lax")\n', SECURE),
    vulnerable('Django SESSION_COOKIE_SECURE = False', 'settings.py', 'SESSION_COOKIE_SECURE = False\n', SECURE),
    vulnerable('Flask app.config CSRF_COOKIE_SECURE False', 'a.py', "app.config['CSRF_COOKIE_SECURE'] = False\n", SECURE),
    safe('Django SESSION_COOKIE_SECURE = True', 'settings.py', 'SESSION_COOKIE_SECURE = True\n', SECURE),
    vulnerable('Django SESSION_COOKIE_HTTPONLY = False', 'settings.py', 'SESSION_COOKIE_HTTPONLY = False\n', HTTPONLY),
    vulnerable('Go http.Cookie literal without Secure', 'a.go', 'package a\n\nimport "net/http"\n\nfunc f(w http.ResponseWriter) { http.SetCookie(w, &http.Cookie{Name: "sid", Value: "x", HttpOnly: true}) }\n', SECURE),
    vulnerable('Go http.Cookie literal without HttpOnly', 'a.go', 'package a\n\nimport "net/http"\n\nfunc f(w http.ResponseWriter) { http.SetCookie(w, &http.Cookie{Name: "sid", Value: "x", Secure: true}) }\n', HTTPONLY),
    safe('Go http.Cookie literal with both flags', 'a.go', 'package a\n\nimport "net/http"\n\nfunc f(w http.ResponseWriter) { http.SetCookie(w, &http.Cookie{Name: "sid", Value: "x", Secure: true, HttpOnly: true}) }\n', SECURE),
    safe('Go http.Cookie flag set after the literal', 'a.go', 'package a\n\nimport "net/http"\n\nfunc f(w http.ResponseWriter) {\n\tc := &http.Cookie{Name: "sid", Value: "x", HttpOnly: true}\n\tc.Secure = true\n\thttp.SetCookie(w, c)\n}\n', SECURE),
  ]);
});

describe('nyx/web/hardcoded-session-secret', () => {
  describeCases([
    vulnerable('express-session literal secret', 'a.js', "const session = require('express-session');\napp.use(session({ secret: 'keyboard cat', resave: false }));\n", SECRET),
    safe('express-session secret from env', 'a.js', "const session = require('express-session');\napp.use(session({ secret: process.env.SESSION_SECRET }));\n", SECRET),
    vulnerable('jwt.sign with a literal', 'a.ts', "import jwt from 'jsonwebtoken';\nconst t = jwt.sign({ sub: id }, 'supersecret');\n", SECRET),
    safe('jwt.sign with a key from config', 'a.ts', "import jwt from 'jsonwebtoken';\nconst t = jwt.sign({ sub: id }, config.jwtSecret);\n", SECRET),
    vulnerable('Flask app.secret_key literal', 'a.py', "app = Flask(__name__)\napp.secret_key = 'dev'\n", SECRET),
    vulnerable("Flask app.config['SECRET_KEY'] literal", 'a.py', "app.config['SECRET_KEY'] = 'f00b4r'\n", SECRET),
    vulnerable('Django SECRET_KEY literal', 'settings.py', "SECRET_KEY = 'django-insecure-1234567890abcdef'\n", SECRET),
    safe('Django SECRET_KEY from env', 'settings.py', "SECRET_KEY = os.environ['SECRET_KEY']\n", SECRET),
    vulnerable('gorilla NewCookieStore literal', 'a.go', 'package a\n\nimport "github.com/gorilla/sessions"\n\nvar store = sessions.NewCookieStore([]byte("something-very-secret"))\n', SECRET),
    safe('gorilla NewCookieStore from env', 'a.go', 'package a\n\nimport (\n\t"os"\n\t"github.com/gorilla/sessions"\n)\n\nvar store = sessions.NewCookieStore([]byte(os.Getenv("SESSION_KEY")))\n', SECRET),
    vulnerable('jjwt signWith literal', 'A.java', 'class A { String f() { return Jwts.builder().setSubject("a").signWith(SignatureAlgorithm.HS256, "secret").compact(); } }\n', SECRET),
  ]);
});

describe('nyx/web/csrf-disabled', () => {
  describeCases([
    vulnerable('Spring csrf().disable()', 'A.java', 'class A { void c(HttpSecurity http) throws Exception { http.csrf().disable().authorizeRequests(); } }\n', CSRF),
    vulnerable('Spring csrf(c -> c.disable())', 'A.java', 'class A { void c(HttpSecurity http) throws Exception { http.csrf(c -> c.disable()); } }\n', CSRF),
    vulnerable('Spring csrf(AbstractHttpConfigurer::disable)', 'A.java', 'class A { void c(HttpSecurity http) throws Exception { http.csrf(AbstractHttpConfigurer::disable); } }\n', CSRF),
    safe('Spring csrf defaults', 'A.java', 'class A { void c(HttpSecurity http) throws Exception { http.csrf(Customizer.withDefaults()); } }\n', CSRF),
    vulnerable('Django @csrf_exempt', 'views.py', 'from django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef hook(request):\n    return HttpResponse("ok")\n', CSRF),
    safe('Django view without the exemption', 'views.py', 'from django.views.decorators.http import require_POST\n\n@require_POST\ndef hook(request):\n    return HttpResponse("ok")\n', CSRF),
    vulnerable('Flask-WTF WTF_CSRF_ENABLED = False', 'config.py', 'class Config:\n    WTF_CSRF_ENABLED = False\n', CSRF),
    safe('Flask-WTF WTF_CSRF_ENABLED = True', 'config.py', 'class Config:\n    WTF_CSRF_ENABLED = True\n', CSRF),
  ]);
});

describe('nyx/web/autoescape-disabled', () => {
  describeCases([
    vulnerable('Jinja2 Environment(autoescape=False)', 'a.py', 'from jinja2 import Environment, FileSystemLoader\nenv = Environment(loader=FileSystemLoader("t"), autoescape=False)\n', AUTOESCAPE),
    vulnerable('Jinja2 Environment without autoescape (default off)', 'a.py', 'import jinja2\nenv = jinja2.Environment(loader=jinja2.FileSystemLoader("t"))\n', AUTOESCAPE),
    safe('Jinja2 Environment with select_autoescape', 'a.py', 'from jinja2 import Environment, select_autoescape\nenv = Environment(autoescape=select_autoescape())\n', AUTOESCAPE),
    safe('an unrelated Environment class', 'a.py', 'from gym import Environment\nenv = Environment()\n', AUTOESCAPE),
    vulnerable('Django TEMPLATES autoescape False', 'settings.py', "TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'OPTIONS': {'autoescape': False}}]\n", AUTOESCAPE),
    vulnerable('Handlebars noEscape: true', 'a.js', 'const t = Handlebars.compile(src, { noEscape: true });\n', AUTOESCAPE),
    safe('Handlebars default', 'a.js', 'const t = Handlebars.compile(src, { strict: true });\n', AUTOESCAPE),
    vulnerable('Nunjucks autoescape: false', 'a.js', "nunjucks.configure('views', { autoescape: false });\n", AUTOESCAPE),
    vulnerable('Go text/template into a ResponseWriter', 'a.go', 'package a\n\nimport (\n\t"net/http"\n\t"text/template"\n)\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tt := template.Must(template.New("x").Parse("<p>{{.}}</p>"))\n\tt.Execute(w, r.FormValue("q"))\n}\n', AUTOESCAPE),
    safe('Go html/template into a ResponseWriter', 'a.go', 'package a\n\nimport (\n\t"html/template"\n\t"net/http"\n)\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tt := template.Must(template.New("x").Parse("<p>{{.}}</p>"))\n\tt.Execute(w, r.FormValue("q"))\n}\n', AUTOESCAPE),
  ]);
});

describe('cookie look-alikes', () => {
  describeCases([
    safe('http.cookiejar CookieJar.set_cookie(cookie)', 'a.py', 'import http.cookiejar\njar = http.cookiejar.CookieJar()\njar.set_cookie(cookie)\n', SECURE),
  ]);
});

describe('one finding per hard-coded session secret', () => {
  describeCases([
    vulnerable('a high-entropy SECRET_KEY is a session secret', 'settings.py', "SECRET_KEY = 'django-insecure-9x#k2!mz@q8w'\n", SECRET),
    safe('and not also a hard-coded password', 'settings.py', "SECRET_KEY = 'django-insecure-9x#k2!mz@q8w'\n", 'nyx/secrets/hardcoded-password'),
  ]);
});
