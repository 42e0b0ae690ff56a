import type { SgNode } from '@ast-grep/napi';
import type { Language } from '#protocol/findings.ts';
import { cryptoRules } from './crypto-rules.ts';
import { deserializationRules } from './deserialization-rules.ts';
import { randomRules } from './random-rules.ts';
import type { RawFinding } from './raw-finding.ts';
import { redosRules } from './redos-rules.ts';
import { familyOf, type Family } from './rule-support.ts';
import { webConfigRules } from './web-config-rules.ts';
import { xxeRules } from './xxe-rules.ts';

type RuleGroup = Readonly<Record<Family, (root: SgNode, text: string) => RawFinding[]>>;

/** The security rules that need no data flow. Each gates itself on words in the text before searching the tree. */
const GROUPS: readonly RuleGroup[] = [cryptoRules, randomRules, webConfigRules, xxeRules, redosRules, deserializationRules];

export function securityFindings(language: Language, root: SgNode, text: string): RawFinding[] {
  const family = familyOf(language);
  return GROUPS.flatMap((group) => group[family](root, text));
}
