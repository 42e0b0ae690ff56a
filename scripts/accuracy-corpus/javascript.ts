/** The JavaScript and TypeScript halves of the corpus share sinks; frameworks and typing differ. */
import { jsFixed } from './js-fixed.ts';
import { jsFrameworks, jsPropagations } from './js-frameworks.ts';
import { jsHand } from './js-hand.ts';
import { jsSinks } from './js-sinks.ts';
import type { LanguageModels } from './model.ts';

export function javascriptModels(): LanguageModels {
  return { language: 'javascript', ext: 'js', frameworks: jsFrameworks(false), propagations: jsPropagations(false), sinks: jsSinks(), fixed: [...jsFixed(false), ...jsHand(false)], numeric: (src) => `parseInt(${src}, 10)` };
}

export function typescriptModels(): LanguageModels {
  return { language: 'typescript', ext: 'ts', frameworks: jsFrameworks(true), propagations: jsPropagations(true), sinks: jsSinks(), fixed: [...jsFixed(true), ...jsHand(true)], numeric: (src) => `Number.parseInt(String(${src}), 10)` };
}
