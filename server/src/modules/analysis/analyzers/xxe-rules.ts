import type { SgNode } from '@ast-grep/napi';
import { callsTo } from './ast-helpers.ts';
import { findingAt, type RawFinding } from './raw-finding.ts';
import { enclosing, keywordArgument, positional, pythonImports, qualifyPython, type Family } from './rule-support.ts';

/**
 * XML external entities (CWE-611). Java's XML factories resolve DTDs and external entities by
 * default, so a factory created and used to parse in a class that never hardens it is reported.
 * The hardening is looked for anywhere in the same class (helpers often configure the factory).
 *
 * Python: the standard library (xml.etree, minidom, xml.sax by default) does not fetch external
 * entities since 3.7.1, so only lxml/xml.sax configured to resolve them is reported. Go's
 * encoding/xml never resolves them. Node: libxmljs with `noent: true`.
 */

const RULE = 'nyx/xml/xxe';

interface JavaFactory {
  creation: RegExp;
  /** Statements that make the parser safe. */
  hardening: RegExp;
  /** Calls that parse (or build a parser that parses) with it. */
  parse: RegExp;
}

const DISALLOW_DOCTYPE = /disallow-doctype-decl["\s)]*,\s*true|external-general-entities["\s)]*,\s*false|FEATURE_SECURE_PROCESSING\s*,\s*true|ACCESS_EXTERNAL_DTD\s*,\s*""|setExpandEntityReferences\(\s*false\s*\)[\s\S]*external-\w+-entities|load-external-dtd["\s)]*,\s*false/;

const FACTORIES: readonly JavaFactory[] = [
  { creation: /^(?:javax\.xml\.parsers\.)?DocumentBuilderFactory\.(?:newInstance|newDefaultInstance|newNSInstance)\(/, hardening: DISALLOW_DOCTYPE, parse: /\.(?:newDocumentBuilder|parse)\(/ },
  { creation: /^(?:javax\.xml\.parsers\.)?SAXParserFactory\.(?:newInstance|newDefaultInstance|newNSInstance)\(/, hardening: DISALLOW_DOCTYPE, parse: /\.(?:newSAXParser|parse|getXMLReader)\(/ },
  { creation: /^(?:org\.xml\.sax\.helpers\.)?XMLReaderFactory\.createXMLReader\(/, hardening: DISALLOW_DOCTYPE, parse: /\.parse\(/ },
  { creation: /^(?:javax\.xml\.stream\.)?XMLInputFactory\.(?:newInstance|newFactory|newDefaultFactory)\(/, hardening: /SUPPORT_DTD\s*,\s*(?:false|Boolean\.FALSE)|supportDTD["\s]*,\s*(?:false|Boolean\.FALSE)|IS_SUPPORTING_EXTERNAL_ENTITIES\s*,\s*(?:false|Boolean\.FALSE)|isSupportingExternalEntities["\s]*,\s*(?:false|Boolean\.FALSE)|ACCESS_EXTERNAL_DTD\s*,\s*""/, parse: /\.create\w*Reader\(/ },
  { creation: /^(?:javax\.xml\.transform\.)?TransformerFactory\.(?:newInstance|newDefaultInstance)\(|^new\s+TransformerFactoryImpl\(/, hardening: /ACCESS_EXTERNAL_DTD\s*,\s*""|FEATURE_SECURE_PROCESSING\s*,\s*true|ACCESS_EXTERNAL_STYLESHEET\s*,\s*""/, parse: /\.(?:newTransformer|newTemplates)\(/ },
  { creation: /^(?:javax\.xml\.validation\.)?SchemaFactory\.newInstance\(/, hardening: /ACCESS_EXTERNAL_DTD\s*,\s*""|ACCESS_EXTERNAL_SCHEMA\s*,\s*""|FEATURE_SECURE_PROCESSING\s*,\s*true/, parse: /\.newSchema\(/ },
  { creation: /^new\s+(?:org\.dom4j\.io\.)?SAXReader\(/, hardening: DISALLOW_DOCTYPE, parse: /\.read\(/ },
  { creation: /^new\s+(?:org\.jdom2?\.input\.)?SAXBuilder\(/, hardening: /disallow-doctype-decl["\s)]*,\s*true|external-general-entities["\s)]*,\s*false|setExpandEntities\(\s*false\s*\)|XMLReaders\.(?:NONVALIDATING|DTDVALIDATING|XSDVALIDATING)\b/, parse: /\.build\(/ },
];

function java(root: SgNode, text: string): RawFinding[] {
  if (!/Factory|SAXReader|SAXBuilder/.test(text)) return [];
  const findings: RawFinding[] = [];
  const candidates = root.findAll({ rule: { any: [{ kind: 'method_invocation', has: { field: 'name', regex: '^(?:newInstance|newDefaultInstance|newNSInstance|newFactory|newDefaultFactory|createXMLReader)$' } }, { kind: 'object_creation_expression', has: { field: 'type', regex: '(?:SAXReader|SAXBuilder|TransformerFactoryImpl)$' } }] } });
  for (const creation of candidates) {
    const factory = FACTORIES.find((f) => f.creation.test(creation.text()));
    if (!factory) continue;
    const scope = enclosing(creation, ['class_body']) ?? root;
    const body = scope.text();
    if (factory.hardening.test(body) || !factory.parse.test(body)) continue;
    findings.push(findingAt(creation, RULE, `${creation.text().replace(/\(.*$/s, '').replace(/^new\s+/, '')} parses XML with DTDs and external entities enabled; disable doctype declarations (setFeature("http://apache.org/xml/features/disallow-doctype-decl", true)).`));
  }
  return findings;
}

function python(root: SgNode, text: string): RawFinding[] {
  if (!/lxml|xml\.sax|feature_external/.test(text)) return [];
  const imports = pythonImports(root);
  const findings: RawFinding[] = [];
  for (const call of callsTo(root, 'call', '(?:XMLParser|XMLPullParser|iterparse|setFeature)$')) {
    const qualified = qualifyPython(call.field('function')!.text(), imports);
    if (/^lxml\.etree\.(?:XMLParser|XMLPullParser|iterparse)$/.test(qualified)) {
      if (keywordArgument(call, 'resolve_entities')?.text() === 'True' || keywordArgument(call, 'no_network')?.text() === 'False') {
        findings.push(findingAt(call, RULE, 'lxml parser resolves external entities; pass resolve_entities=False (and keep no_network=True).'));
      }
    } else if (/\.setFeature$/.test(qualified)) {
      const [feature, value] = positional(call);
      if (/feature_external_(?:ges|pes)$/.test(feature?.text() ?? '') && value && value.text() !== 'False' && value.text() !== '0') {
        findings.push(findingAt(call, RULE, 'xml.sax parser set to fetch external entities; leave feature_external_ges off.'));
      }
    }
  }
  return findings;
}

function js(root: SgNode, text: string): RawFinding[] {
  if (!text.includes('noent')) return [];
  return callsTo(root, 'call_expression', '(?:^|\\.)(?:parseXml|parseXmlString|parseXmlAsync|parseHtml|parseXmlFile)$')
    .filter((call) => positional(call).some((arg) => arg.kind() === 'object' && /\bnoent\s*:\s*true\b/.test(arg.text())))
    .map((call) => findingAt(call, RULE, 'libxmljs parses with noent: true, which substitutes external entities; remove noent.'));
}

export const xxeRules: Readonly<Record<Family, (root: SgNode, text: string) => RawFinding[]>> = { java, js, python, go: () => [] };
