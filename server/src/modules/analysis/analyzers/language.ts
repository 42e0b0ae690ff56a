import { Lang, registerDynamicLanguage } from '@ast-grep/napi';
import go from '@ast-grep/lang-go';
import java from '@ast-grep/lang-java';
import python from '@ast-grep/lang-python';
import type { Language } from '#protocol/findings.ts';

const LANGUAGE_BY_EXTENSION: Readonly<Record<string, Language>> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  py: 'python',
  pyi: 'python',
  go: 'go',
  java: 'java',
};

/** The language a path is analyzed as, or undefined for files that only get the text rules. */
export function detectLanguage(path: string): Language | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return LANGUAGE_BY_EXTENSION[name.slice(dot + 1).toLowerCase()];
}

let dynamicLanguagesRegistered = false;

/**
 * The ast-grep language name for `parse()`. Python, Go and Java come from tree-sitter parsers
 * shipped prebuilt inside the @ast-grep/lang-* packages, registered on first use.
 */
export function astGrepLanguage(language: Language): string {
  switch (language) {
    case 'javascript':
      return Lang.JavaScript;
    case 'typescript':
      return Lang.TypeScript;
    case 'tsx':
      return Lang.Tsx;
    default:
      if (!dynamicLanguagesRegistered) {
        registerDynamicLanguage({ python, go, java });
        dynamicLanguagesRegistered = true;
      }
      return language;
  }
}
