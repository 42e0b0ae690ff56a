import type { SgNode } from '@ast-grep/napi';
import { callsTo } from './ast-helpers.ts';
import { findingAt, type RawFinding } from './raw-finding.ts';
import { keywordArgument, positional, pythonImports, qualifyPython, stringValue, type Family } from './rule-support.ts';

/**
 * Deserializers that can build arbitrary objects, reported from how they are configured or
 * called, without following data (CWE-502): PyYAML without a safe loader, pickle-family loads of
 * anything but a literal, Jackson default typing, XMLDecoder, XStream without a type allow-list,
 * SnakeYAML's default constructor, node-serialize. Tainted flows into ObjectInputStream and the
 * like are the taint engine's.
 */

const RULE = 'nyx/deserialization/unsafe-config';

const SAFE_YAML_LOADER = /(?:^|\.)(?:SafeLoader|CSafeLoader|BaseLoader|CBaseLoader)$/;
const PY_LOADS = /^(?:pickle|cPickle|_pickle|dill|shelve|jsonpickle|marshal|pandas|pd|joblib|cloudpickle)\.(?:loads?|Unpickler|decode|open|read_pickle)$/;

function python(root: SgNode, text: string): RawFinding[] {
  if (!/yaml|pickle|\bdill\b|\bshelve\b|\bmarshal\b|joblib/.test(text)) return [];
  const imports = pythonImports(root);
  const findings: RawFinding[] = [];
  for (const call of callsTo(root, 'call', '(?:load|load_all|unsafe_load|unsafe_load_all|full_load|loads|Unpickler|decode|open|read_pickle)$')) {
    const callee = call.field('function')!.text();
    const qualified = qualifyPython(callee, imports);
    if (/^(?:yaml|ruamel\.yaml)\.(?:unsafe_load|unsafe_load_all)$/.test(qualified)) {
      findings.push(findingAt(call, RULE, `${callee} can construct arbitrary Python objects; use yaml.safe_load.`));
    } else if (/^yaml\.(?:load|load_all)$/.test(qualified)) {
      const loader = keywordArgument(call, 'Loader') ?? positional(call)[1];
      if (!loader || !SAFE_YAML_LOADER.test(loader.text())) findings.push(findingAt(call, RULE, `${callee} without SafeLoader can construct arbitrary Python objects; use yaml.safe_load.`));
    } else if (PY_LOADS.test(qualified)) {
      if (/^(?:shelve\.open|pandas\.read_pickle|pd\.read_pickle)$/.test(qualified) && stringValue(positional(call)[0]) !== undefined) continue;
      const data = positional(call)[0];
      if (!data || stringValue(data) !== undefined) continue;
      findings.push(findingAt(call, RULE, `${callee} runs code embedded in the data it loads; never unpickle data that could come from outside. Use JSON.`));
    }
  }
  return findings;
}

function java(root: SgNode, text: string): RawFinding[] {
  const findings: RawFinding[] = [];
  if (/enableDefaultTyping|activateDefaultTyping|LaissezFaireSubTypeValidator/.test(text)) {
    for (const call of root.findAll({ rule: { kind: 'method_invocation', has: { field: 'name', regex: '^(?:enableDefaultTyping|enableDefaultTypingAsProperty|activateDefaultTyping|activateDefaultTypingAsProperty)$' } } })) {
      if (call.field('name')!.text().startsWith('activate') && !/LaissezFaireSubTypeValidator/.test(call.text())) continue;
      findings.push(findingAt(call, RULE, 'Jackson default typing lets the JSON name the class to instantiate (gadget chains); use @JsonTypeInfo with an allow-list (PolymorphicTypeValidator).'));
    }
  }
  if (text.includes('JsonTypeInfo')) {
    for (const annotation of root.findAll({ rule: { kind: 'annotation', regex: 'JsonTypeInfo\\.Id\\.(?:CLASS|MINIMAL_CLASS)|use\\s*=\\s*Id\\.(?:CLASS|MINIMAL_CLASS)' } })) {
      findings.push(findingAt(annotation, RULE, '@JsonTypeInfo(use = Id.CLASS) lets the JSON name the class to instantiate; use Id.NAME with registered subtypes.'));
    }
  }
  if (text.includes('XMLDecoder')) {
    for (const creation of root.findAll({ rule: { kind: 'object_creation_expression', has: { field: 'type', regex: '^(?:java\\.beans\\.)?XMLDecoder$' } } })) {
      findings.push(findingAt(creation, RULE, 'XMLDecoder executes the method calls described in its input; do not decode XML that could come from outside.'));
    }
  }
  if (text.includes('XStream') && !/allowTypes|addPermission|setupDefaultSecurity|allowTypesByWildcard|allowTypeHierarchy/.test(text)) {
    for (const creation of root.findAll({ rule: { kind: 'object_creation_expression', has: { field: 'type', regex: '^(?:com\\.thoughtworks\\.xstream\\.)?XStream$' } } })) {
      if (/\.fromXML\(/.test(text)) findings.push(findingAt(creation, RULE, 'XStream without a type allow-list (allowTypes/addPermission) deserializes any class named in the XML.'));
    }
  }
  if (text.includes('new Yaml(') && /\.load(?:As|All)?\(/.test(text)) {
    for (const creation of root.findAll({ rule: { kind: 'object_creation_expression', has: { field: 'type', regex: '^(?:org\\.yaml\\.snakeyaml\\.)?Yaml$' } } })) {
      if (!/SafeConstructor|LoaderOptions/.test(creation.text())) findings.push(findingAt(creation, RULE, 'SnakeYAML before 2.0 builds any class named by a YAML tag; construct it with new SafeConstructor(new LoaderOptions()).'));
    }
  }
  return findings;
}

function js(root: SgNode, text: string): RawFinding[] {
  if (!text.includes('node-serialize')) return [];
  const module = /(\w+)\s*=\s*require\(\s*['"]node-serialize['"]\s*\)|import\s+(?:\*\s+as\s+)?(\w+)\s+from\s+['"]node-serialize['"]/.exec(text);
  if (!module) return [];
  return callsTo(root, 'call_expression', `^${module[1] ?? module[2]}\\.unserialize$`).map((call) =>
    findingAt(call, RULE, 'node-serialize unserialize runs functions embedded in its input (IIFE payloads); use JSON.parse.'),
  );
}

export const deserializationRules: Readonly<Record<Family, (root: SgNode, text: string) => RawFinding[]>> = { java, js, python, go: () => [] };
