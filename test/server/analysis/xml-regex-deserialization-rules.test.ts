import { describeCases, safe, vulnerable } from './rule-cases.ts';

const XXE = 'nyx/xml/xxe';
const REDOS = 'nyx/regex/redos';
const DESER = 'nyx/deserialization/unsafe-config';

const dbf = (hardening: string) => `import javax.xml.parsers.*;
class A {
  org.w3c.dom.Document parse(java.io.InputStream in) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
${hardening}
    return f.newDocumentBuilder().parse(in);
  }
}
`;

describe('nyx/xml/xxe', () => {
  describeCases([
    vulnerable('DocumentBuilderFactory at its defaults', 'A.java', dbf(''), XXE),
    safe('DocumentBuilderFactory with disallow-doctype-decl', 'A.java', dbf('    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);'), XXE),
    safe('DocumentBuilderFactory with ACCESS_EXTERNAL_DTD ""', 'A.java', dbf('    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");'), XXE),
    vulnerable('fully qualified SAXParserFactory', 'A.java', 'class A { void p(java.io.InputStream in, org.xml.sax.helpers.DefaultHandler h) throws Exception { javax.xml.parsers.SAXParserFactory.newInstance().newSAXParser().parse(in, h); } }\n', XXE),
    vulnerable('XMLInputFactory at its defaults', 'A.java', 'class A { void p(java.io.Reader r) throws Exception { javax.xml.stream.XMLInputFactory xif = javax.xml.stream.XMLInputFactory.newInstance(); xif.createXMLStreamReader(r); } }\n', XXE),
    safe('XMLInputFactory with SUPPORT_DTD false', 'A.java', 'class A { void p(java.io.Reader r) throws Exception { XMLInputFactory xif = XMLInputFactory.newInstance(); xif.setProperty(XMLInputFactory.SUPPORT_DTD, false); xif.createXMLStreamReader(r); } }\n', XXE),
    vulnerable('dom4j SAXReader', 'A.java', 'class A { Object p(java.io.InputStream in) throws Exception { SAXReader reader = new SAXReader(); return reader.read(in); } }\n', XXE),
    safe('factory created but never used to parse', 'A.java', 'class A { Object f() { return DocumentBuilderFactory.newInstance(); } }\n', XXE),
    vulnerable('lxml resolve_entities=True', 'a.py', 'from lxml import etree\nparser = etree.XMLParser(resolve_entities=True)\ndoc = etree.fromstring(data, parser)\n', XXE),
    safe('lxml resolve_entities=False', 'a.py', 'from lxml import etree\nparser = etree.XMLParser(resolve_entities=False)\ndoc = etree.fromstring(data, parser)\n', XXE),
    vulnerable('xml.sax feature_external_ges on', 'a.py', 'import xml.sax\nfrom xml.sax.handler import feature_external_ges\np = xml.sax.make_parser()\np.setFeature(feature_external_ges, True)\n', XXE),
    safe('xml.sax feature_external_ges off', 'a.py', 'import xml.sax\nfrom xml.sax.handler import feature_external_ges\np = xml.sax.make_parser()\np.setFeature(feature_external_ges, False)\n', XXE),
    vulnerable('libxmljs noent: true', 'a.js', "const libxml = require('libxmljs');\nconst doc = libxml.parseXml(body, { noent: true });\n", XXE),
    safe('libxmljs defaults', 'a.js', "const libxml = require('libxmljs');\nconst doc = libxml.parseXml(body, { noblanks: true });\n", XXE),
  ]);
});

describe('nyx/regex/redos', () => {
  describeCases([
    vulnerable('JS literal (a+)+', 'a.js', 'const ok = /^(a+)+$/.test(s);\n', REDOS),
    vulnerable('JS literal (\\w+\\s?)*', 'a.js', 'const words = /^(\\w+\\s?)*$/;\n', REDOS),
    vulnerable("JS new RegExp('(.*a){2,}')", 'a.ts', "const r = new RegExp('(.*a){2,}');\n", REDOS),
    safe('JS dotted number (\\d+\\.)*\\d+', 'a.js', 'const version = /^(\\d+\\.)*\\d+$/;\n', REDOS),
    safe('JS comma list (\\s*,\\s*\\w+)*', 'a.js', 'const list = /^\\w+(\\s*,\\s*\\w+)*$/;\n', REDOS),
    vulnerable('Java Pattern.compile nested quantifier', 'A.java', 'class A { java.util.regex.Pattern p = java.util.regex.Pattern.compile("^([a-zA-Z0-9]+)*@x\\\\.com$"); }\n', REDOS),
    safe('Java Pattern.compile unambiguous', 'A.java', 'class A { java.util.regex.Pattern p = java.util.regex.Pattern.compile("^[a-z0-9]+(?:-[a-z0-9]+)*$"); }\n', REDOS),
    vulnerable('Python re.match raw pattern', 'a.py', 'import re\nm = re.match(r"^(\\w+\\s?)*$", text)\n', REDOS),
    safe('Python re.match unambiguous', 'a.py', 'import re\nm = re.match(r"^\\w+(\\s\\w+)*$", text)\n', REDOS),
    safe('Go regexp is linear time', 'a.go', 'package a\n\nimport "regexp"\n\nvar r = regexp.MustCompile(`^(a+)+$`)\n', REDOS),
  ]);
});

describe('nyx/deserialization/unsafe-config', () => {
  describeCases([
    vulnerable('yaml.load without a Loader', 'a.py', 'import yaml\ncfg = yaml.load(open(path))\n', DESER),
    vulnerable('yaml.load with yaml.Loader', 'a.py', 'import yaml\ncfg = yaml.load(body, Loader=yaml.Loader)\n', DESER),
    vulnerable('yaml.unsafe_load', 'a.py', 'import yaml\ncfg = yaml.unsafe_load(body)\n', DESER),
    safe('yaml.load with SafeLoader', 'a.py', 'import yaml\ncfg = yaml.load(body, Loader=yaml.SafeLoader)\n', DESER),
    safe('yaml.safe_load', 'a.py', 'import yaml\ncfg = yaml.safe_load(body)\n', DESER),
    vulnerable('pickle.loads of data', 'a.py', 'import pickle\nobj = pickle.loads(blob)\n', DESER),
    vulnerable('from pickle import loads', 'a.py', 'from pickle import loads\nobj = loads(blob)\n', DESER),
    safe('pickle.loads of a literal', 'a.py', "import pickle\nobj = pickle.loads(b'\\x80\\x04K\\x01.')\n", DESER),
    vulnerable('Jackson enableDefaultTyping', 'A.java', 'class A { void f(com.fasterxml.jackson.databind.ObjectMapper m) { m.enableDefaultTyping(); } }\n', DESER),
    safe('Jackson without default typing', 'A.java', 'class A { void f(com.fasterxml.jackson.databind.ObjectMapper m) { m.findAndRegisterModules(); } }\n', DESER),
    vulnerable('XMLDecoder', 'A.java', 'class A { Object f(java.io.InputStream in) { return new java.beans.XMLDecoder(in).readObject(); } }\n', DESER),
    // Request data reaching it is the taint engine's nyx/injection/deserialization (which supersedes this rule on that line).
    vulnerable('node-serialize unserialize', 'a.js', "const serialize = require('node-serialize');\nfunction restore(saved) {\n  return serialize.unserialize(saved);\n}\n", DESER),
    safe('JSON.parse', 'a.js', 'const obj = JSON.parse(req.cookies.profile);\n', DESER),
  ]);
});
