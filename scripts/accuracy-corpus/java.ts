/** The Java part of the corpus: Servlet API and Spring MVC handlers. */
import { javaFixed } from './java-fixed.ts';
import { javaFrameworks, javaPropagations } from './java-frameworks.ts';
import { javaHand } from './java-hand.ts';
import { javaSinks } from './java-sinks.ts';
import type { LanguageModels } from './model.ts';

export function javaModels(): LanguageModels {
  return { language: 'java', ext: 'java', frameworks: javaFrameworks(), propagations: javaPropagations(), sinks: javaSinks(), fixed: [...javaFixed(), ...javaHand()], numeric: (src) => `String.valueOf(Integer.parseInt(${src}))` };
}
