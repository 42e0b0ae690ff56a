/** The Python part of the corpus: Flask, Django and FastAPI handlers. */
import type { LanguageModels } from './model.ts';
import { pyFixed } from './py-fixed.ts';
import { pyFrameworks, pyPropagations } from './py-frameworks.ts';
import { pyHand } from './py-hand.ts';
import { pySinks } from './py-sinks.ts';

export function pythonModels(): LanguageModels {
  return { language: 'python', ext: 'py', frameworks: pyFrameworks(), propagations: pyPropagations(), sinks: pySinks(), fixed: [...pyFixed(), ...pyHand()], numeric: (src) => `str(int(${src}))` };
}
