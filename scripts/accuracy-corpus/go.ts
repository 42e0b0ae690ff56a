/** The Go part of the corpus: net/http and gin handlers. */
import { goFixed } from './go-fixed.ts';
import { goFrameworks, goPropagations } from './go-frameworks.ts';
import { goHand } from './go-hand.ts';
import { goSinks } from './go-sinks.ts';
import type { LanguageModels } from './model.ts';

export function goModels(): LanguageModels {
  return {
    language: 'go',
    ext: 'go',
    frameworks: goFrameworks(),
    propagations: goPropagations(),
    sinks: goSinks(),
    fixed: [...goFixed(), ...goHand()],
    // Atoi returns two values, so the numeric twin goes through a small helper.
    numeric: (src) => ({
      imports: ['strconv'],
      top: ['func atoi$UNIT(s string) int {\n\tn, err := strconv.Atoi(s)\n\tif err != nil {\n\t\treturn 0\n\t}\n\treturn n\n}'],
      lines: [],
      expr: `strconv.Itoa(atoi$UNIT(${src}))`,
    }),
  };
}
