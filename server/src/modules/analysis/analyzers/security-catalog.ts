import type { RuleInfo } from '#protocol/findings.ts';
import { cheatSheet, CODE, JS, OWASP, rule } from './catalog-support.ts';

/** Catalog entries of the security rules that need no data flow (security-rules.ts). */
export const securityRules: readonly RuleInfo[] = [
  rule({
    id: 'nyx/crypto/weak-cipher', title: 'Weak cipher or mode', severity: 'error', languages: CODE,
    docs: 'DES, 3DES (DESede), RC2, RC4, Blowfish and other 64-bit-block or broken ciphers can be decrypted or attacked with practical effort (Sweet32, RC4 biases); ECB mode encrypts equal blocks to equal ciphertext and leaks the plaintext\'s structure. In Java, `Cipher.getInstance("AES")` silently means `AES/ECB/PKCS5Padding`. An algorithm read from configuration with a weak literal default (`getProperty("alg", "DES/ECB/PKCS5Padding")`, `os.getenv("ALG", "DES")`) counts: the default is what runs when the setting is missing. Use AES-GCM (or ChaCha20-Poly1305).',
    cwe: [327], owasp: [OWASP.crypto],
    example: ['java', 'Cipher c = Cipher.getInstance("DES/ECB/PKCS5Padding");', 'Cipher c = Cipher.getInstance("AES/GCM/NoPadding");\nc.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));'],
    references: [cheatSheet('Cryptographic_Storage')],
  }),
  rule({
    id: 'nyx/crypto/weak-hash', title: 'Weak hash algorithm', severity: 'warning', languages: CODE,
    docs: 'MD2, MD4, MD5 and SHA-1 have practical collision attacks: signatures, integrity checks and identifiers built on them can be forged. Use SHA-256 or better. Fully qualified calls, imports under another name and algorithms from configuration with a weak default are recognised. A non-security use can say so: Python `hashlib.md5(data, usedforsecurity=False)` is not reported. Hashing a password is reported as nyx/dangerous/weak-password-hash instead (it needs a slow, salted hash, not SHA-256).',
    cwe: [328, 327], owasp: [OWASP.crypto],
    example: ['python', 'digest = hashlib.md5(document).hexdigest()', 'digest = hashlib.sha256(document).hexdigest()'],
    references: [cheatSheet('Cryptographic_Storage')],
  }),
  rule({
    id: 'nyx/crypto/predictable-random', title: 'Predictable random value used as a secret', severity: 'error', languages: CODE,
    docs: '`java.util.Random`, `Math.random`, `ThreadLocalRandom`, Python `random` and Go `math/rand` are seeded predictably and their output can be reconstructed from a few samples. Reported when the value reaches, in the same function, a token, id, key, secret, password, nonce, salt, session or cookie (a security-named variable, field or key, a cookie or header, or the return value of a function so named). Shuffling, jitter and sampling are not reported. Use `SecureRandom`, `crypto.randomBytes`/`crypto.randomUUID`, Python `secrets`, Go `crypto/rand`.',
    cwe: [330, 338], owasp: [OWASP.crypto],
    example: ['javascript', 'const resetToken = Math.random().toString(36).slice(2);', "const resetToken = crypto.randomBytes(32).toString('hex');"],
    references: [cheatSheet('Cryptographic_Storage')],
  }),
  rule({
    id: 'nyx/web/cookie-without-secure', title: 'Cookie without the Secure flag', severity: 'warning', languages: CODE,
    docs: 'A cookie without `Secure` is also sent over plain HTTP, where anyone on the network can read it. Reported for servlet cookies added without `setSecure(true)`, Spring `ResponseCookie` without `.secure(true)`, Express `res.cookie` without `secure: true`, session middleware configured with `secure: false`, Flask/Django `set_cookie` without `secure=True`, `SESSION_COOKIE_SECURE`/`CSRF_COOKIE_SECURE = False`, and Go `http.Cookie` literals without `Secure: true`.',
    cwe: [614], owasp: [OWASP.misconfiguration],
    example: ['javascript', "res.cookie('sid', id, { httpOnly: true });", "res.cookie('sid', id, { httpOnly: true, secure: true, sameSite: 'lax' });"],
    references: [cheatSheet('Session_Management')],
  }),
  rule({
    id: 'nyx/web/cookie-without-httponly', title: 'Cookie without the HttpOnly flag', severity: 'warning', languages: CODE,
    docs: 'A cookie without `HttpOnly` can be read by any script on the page, so one XSS steals the session. Reported for the same calls and settings as nyx/web/cookie-without-secure, for the `HttpOnly` flag (`setHttpOnly(true)`, `httpOnly: true`, `httponly=True`, `HttpOnly: true`, `SESSION_COOKIE_HTTPONLY`).',
    cwe: [1004], owasp: [OWASP.misconfiguration],
    example: ['python', 'resp.set_cookie("sid", sid, secure=True)', 'resp.set_cookie("sid", sid, secure=True, httponly=True, samesite="Lax")'],
    references: [cheatSheet('Session_Management')],
  }),
  rule({
    id: 'nyx/web/hardcoded-session-secret', title: 'Hard-coded session or token secret', severity: 'error', languages: CODE,
    docs: 'The key that signs session cookies or tokens is written in the code (`session({ secret: "…" })`, `jwt.sign(data, "…")`, Flask `app.secret_key = "…"`, `SECRET_KEY = "…"`, gorilla `sessions.NewCookieStore([]byte("…"))`, jjwt `signWith(…, "…")`): anyone who can read the repository can forge sessions and tokens. Load it from the environment or a secret store (reads from the environment are not reported) and rotate the leaked one.',
    cwe: [798, 321], owasp: [OWASP.authentication, OWASP.crypto],
    example: ['javascript', "app.use(session({ secret: 'keyboard cat' }));", 'app.use(session({ secret: process.env.SESSION_SECRET }));'],
    references: [cheatSheet('Secrets_Management')],
  }),
  rule({
    id: 'nyx/web/csrf-disabled', title: 'CSRF protection disabled', severity: 'warning', languages: [...JS, 'python', 'java'],
    docs: 'With CSRF protection off, any page the user visits can submit requests carrying their cookies. Reported for Spring Security `csrf().disable()`/`csrf(c -> c.disable())`/`csrf(AbstractHttpConfigurer::disable)`, Django `@csrf_exempt`, Flask-WTF `WTF_CSRF_ENABLED = False`/`@csrf.exempt`, and `lusca({ csrf: false })`. Keep it on for browser-facing endpoints; token-authenticated APIs without cookies can turn it off on purpose (dismiss the finding saying so).',
    cwe: [352], owasp: [OWASP.accessControl],
    example: ['java', 'http.csrf(AbstractHttpConfigurer::disable);', 'http.csrf(Customizer.withDefaults());'],
    references: [cheatSheet('Cross-Site_Request_Forgery_Prevention')],
  }),
  rule({
    id: 'nyx/web/autoescape-disabled', title: 'Template auto-escaping disabled', severity: 'warning', languages: [...JS, 'python', 'go'],
    docs: 'With auto-escaping off, every value a template prints can inject HTML and script. Reported for Jinja2 `Environment()` without `autoescape` (its default is off) or with `autoescape=False`, Django `"autoescape": False`, Handlebars `noEscape: true`, Nunjucks/Swig `autoescape: false`, and Go `text/template` executed into an `http.ResponseWriter`.',
    cwe: [79, 116], owasp: [OWASP.injection],
    example: ['python', 'env = Environment(loader=FileSystemLoader("templates"))', 'env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())'],
    references: [cheatSheet('Cross_Site_Scripting_Prevention')],
  }),
  rule({
    id: 'nyx/xml/xxe', title: 'XML parser allows external entities', severity: 'error', languages: [...JS, 'python', 'java'],
    docs: 'A parser that processes DTDs and external entities lets an XML document read local files, reach internal URLs (SSRF) or exhaust memory. Java\'s `DocumentBuilderFactory`, `SAXParserFactory`, `XMLInputFactory`, `TransformerFactory`, `SchemaFactory`, dom4j `SAXReader` and JDOM `SAXBuilder` do so by default: reported when one is created and used to parse in a class that never hardens it (`disallow-doctype-decl`, external entities off, `SUPPORT_DTD` false, `ACCESS_EXTERNAL_DTD` ""). Python: lxml with `resolve_entities=True` or `no_network=False`, `xml.sax` with `feature_external_ges` on (the standard library does not fetch external entities otherwise). Node: libxmljs with `noent: true`. Go\'s encoding/xml never resolves them.',
    cwe: [611], owasp: [OWASP.misconfiguration],
    example: ['java', 'DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();\nDocument d = f.newDocumentBuilder().parse(in);', 'DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();\nf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);\nDocument d = f.newDocumentBuilder().parse(in);'],
    references: [cheatSheet('XML_External_Entity_Prevention')],
  }),
  rule({
    id: 'nyx/regex/redos', title: 'Regular expression with exponential backtracking', severity: 'warning', languages: [...JS, 'python', 'java'],
    docs: 'A repeated group whose body can match the same text in several ways (`(a+)+`, `(\\w+\\s?)*`, `(.*a){2,}`) makes a backtracking engine try exponentially many splits on an input that almost matches: one request can pin a CPU (ReDoS). Reported for literal patterns in JS regex literals and `RegExp`, Java `Pattern.compile`/`matches`/`replaceAll`/`split`, and Python `re.*`. Go\'s RE2 engine runs in linear time. Make the repetition unambiguous (`(\\w+\\s)*\\w*`), bound the input length, or use possessive quantifiers/atomic groups.',
    cwe: [1333, 400], owasp: [OWASP.design],
    example: ['javascript', 'const words = /^(\\w+\\s?)*$/;', 'const words = /^\\w+(?:\\s\\w+)*$/;'],
    references: ['https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS'],
  }),
  rule({
    id: 'nyx/deserialization/unsafe-config', title: 'Deserializer that can build arbitrary objects', severity: 'error', languages: [...JS, 'python', 'java'],
    docs: 'Some deserializers instantiate whatever types the data names and run their code: PyYAML `yaml.load` without `SafeLoader` and `yaml.unsafe_load`, `pickle`/`dill`/`jsonpickle`/`marshal` loads of anything but a literal, Jackson default typing (`enableDefaultTyping`, `@JsonTypeInfo(use = Id.CLASS)`), `java.beans.XMLDecoder`, XStream without a type allow-list, SnakeYAML\'s default constructor, and node-serialize `unserialize`. Data from outside then becomes code execution. Use data-only formats (JSON, `yaml.safe_load`) and allow-lists of types. (Untrusted data reaching `ObjectInputStream` and the like is reported by the data-flow rules.)',
    cwe: [502], owasp: [OWASP.integrity],
    example: ['python', 'config = yaml.load(request.data)', 'config = yaml.safe_load(request.data)'],
    references: [cheatSheet('Deserialization')],
  }),
];
