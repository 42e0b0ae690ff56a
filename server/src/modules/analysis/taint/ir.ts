import type { SgNode } from '@ast-grep/napi';

/**
 * The taint engine's intermediate representation (IR): a small, language-neutral, structured
 * form of each function, lowered from tree-sitter by one `lower-<language>.ts` per language.
 *
 * HOW TO WRITE A LOWERING FOR A NEW LANGUAGE
 * - Export `lower<Lang>(root: SgNode): IrModule`. Walk the tree once with `kind()`/`children()`
 *   (every native call costs microseconds: never `find`/`findAll` per node, call `text()` only on
 *   leaves or on nodes you keep). See lower-javascript.ts as the reference lowering.
 * - Every function, method, lambda and the top-level code (as a function named `<module>`)
 *   becomes one `IrFunction`. Nested functions are separate entries; a lambda used as a value is
 *   `{ k: 'fn' }` in the expression that holds it.
 * - Statements stay STRUCTURED (if/loop/choice, not a CFG): the engine interprets them in order,
 *   joins the states of branches, runs loops twice, and drops a branch whose condition folds to a
 *   constant. A branch that ends in `return`/`throw` does not flow into the code after it, so
 *   `if (!p.startsWith(base)) return;` refines `p` for the rest of the block.
 * - Expressions keep only what matters to data flow: names, member/index reads with their constant
 *   key, calls (receiver, method name, dotted callee path, positional and named arguments), string
 *   building (`concat`: +, template literals, f-strings, format calls are calls the models know),
 *   arithmetic/comparison (`bin`, for constant folding and because numbers carry no injection),
 *   literals, object/array/dict literals. Anything else is `opaque` over its sub-expressions: the
 *   engine is conservative and taints it if any part is tainted.
 * - `IrModule.imports` maps a local name to what it stands for (`cp` -> `child_process`,
 *   `exec` -> `child_process.exec`, `request` -> `flask.request`, `Statement` -> `java.sql.Statement`):
 *   models match calls on these resolved dotted names.
 * - Declared types (Java/Go parameters, locals, fields) go into `IrFunction.types` so models can
 *   match on receiver type (`Runtime r = ...; r.exec(x)` matches `java.lang.Runtime.exec`).
 * - `at` is the node a flow step or finding points to; keep it on calls, reads, assignments, returns.
 */

export type Literal = string | number | boolean | null;

export type Expr =
  | { k: 'lit'; value: Literal; at?: SgNode }
  | { k: 'var'; name: string; at: SgNode }
  /** `obj.key` / `obj['key']`; `key` is null when the key is not a constant (then `keyExpr` is it). */
  | { k: 'get'; obj: Expr; key: string | null; keyExpr?: Expr; at: SgNode }
  | IrCall
  /** Strings built from parts: `a + b` on strings, template literals, f-strings. */
  | { k: 'concat'; parts: Expr[]; at: SgNode }
  /** Arithmetic, comparison, logical and membership operators (`in`, `not in`, `instanceof`). */
  | { k: 'bin'; op: string; left: Expr; right: Expr; at: SgNode }
  | { k: 'unary'; op: string; arg: Expr; at: SgNode }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr; at: SgNode }
  /** Object/dict/map literal; `key` null for computed keys or spreads. */
  | { k: 'object'; entries: Array<{ key: string | null; value: Expr }>; at: SgNode }
  | { k: 'array'; items: Expr[]; at: SgNode }
  /** A function value (lambda, arrow, function expression): analysed as its own IrFunction. */
  | { k: 'fn'; fn: IrFunction }
  /** A cast or conversion to a type, e.g. Java `(int) x`, Go `template.HTML(x)`. */
  | { k: 'cast'; type: string; arg: Expr; at: SgNode }
  /** Anything else, tainted when any part is. */
  | { k: 'opaque'; parts: Expr[]; at?: SgNode };

export interface IrCall {
  k: 'call';
  /** Method or function name: `exec` in `cp.exec(x)`, `query` in `db.pool().query(x)`. */
  name: string;
  /** The object the method is called on (absent for plain function calls). */
  receiver?: Expr;
  /**
   * The callee as a dotted path of names when it is one (`cp.exec`, `os.path.join`, `exec`),
   * before import resolution; undefined when the callee involves calls or computed keys.
   */
  path?: string;
  args: Expr[];
  /** Keyword arguments (Python `shell=True`). */
  named?: Record<string, Expr>;
  /** `new X(...)`: `name` is the class name. */
  isNew?: boolean;
  at: SgNode;
}

export type LValue =
  | { k: 'var'; name: string }
  /** `obj.key = v` / `obj[key] = v` (key null when not constant). */
  | { k: 'field'; obj: Expr; key: string | null };

export type Stmt =
  | { k: 'assign'; target: LValue; value: Expr; at: SgNode; /** declared type of a new local */ type?: string }
  | { k: 'expr'; e: Expr }
  | { k: 'return'; value?: Expr; at: SgNode }
  /** `throw`, `exit`, `break`/`continue` out of a block: the rest of the block is not reached. */
  | { k: 'exit' }
  | { k: 'if'; test: Expr; then: Stmt[]; else: Stmt[] }
  /** Exactly one arm runs (switch/match/try-catch shapes); conditions are not modelled. */
  | { k: 'choice'; arms: Stmt[][] }
  /** Runs zero or more times. */
  | { k: 'loop'; body: Stmt[] };

export interface IrParam {
  name: string;
  /** Declared type, if any (Java, Go, typed Python/TS). */
  type?: string;
  /** Annotation/decorator names on the parameter (Spring `RequestParam`, ...). */
  annotations?: string[];
  /** Default value text is irrelevant; whether it is a rest/varargs param is. */
  rest?: boolean;
  /** The parameter's node, where a flow from a parameter source starts. */
  at?: SgNode;
}

export interface IrFunction {
  /** Function or method name; `<module>` for top-level code, `<lambda>` for anonymous ones. */
  name: string;
  /** Enclosing class name for methods (inner classes: the innermost class). */
  className?: string;
  params: IrParam[];
  body: Stmt[];
  /** Declared types of locals and parameters, by name. */
  types: Record<string, string>;
  /** Decorator/annotation names on the function itself (`app.route`, `GetMapping`). */
  decorators?: string[];
  /** The decorator call texts: route strings carry path params (Flask `<name>`, FastAPI `{name}`). */
  decoratorTexts?: string[];
  at: SgNode;
}

export interface IrClass {
  name: string;
  /** Declared field types, by field name. */
  fieldTypes: Record<string, string>;
  /** Enum classes: their values carry no injection. */
  isEnum?: boolean;
}

export interface IrModule {
  functions: IrFunction[];
  classes: IrClass[];
  /** Local name -> what it stands for (module, or module.member). */
  imports: Record<string, string>;
  /**
   * Names the file binds to something other than an import (`const fs = resolver.fileSystem`):
   * a call on one of them is not the module of the same name, so a source or sink `qname` row
   * skips it.
   */
  declaredLocals?: ReadonlySet<string>;
}
