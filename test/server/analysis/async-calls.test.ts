import { describeCases, safe, vulnerable } from './rule-cases.ts';

// Unawaited async calls are matched by name; these are the names real code reuses. Found on
// bundled chokidar (playwright-core): a `listener` parameter was taken for an async `listener`
// arrow another function declares.
const RULE = 'nyx/correctness/floating-promise';

describe('floating-promise: a call counts only where the async function it names is visible', () => {
  describeCases([
    vulnerable('a module-level async function called from another function', 'a.js', 'async function save(r) { await db.put(r); }\nfunction handler() {\n  save({ id: 1 });\n}\n', RULE),
    vulnerable('an async arrow called in the function that declares it', 'b.ts', 'export function run() {\n  const flush = async () => { await db.sync(); };\n  flush();\n}\n', RULE),
    vulnerable('an async method called through this', 'c.ts', 'class Q {\n  async flush(): Promise<void> {}\n  stop() {\n    this.flush();\n  }\n}\n', RULE),
    safe('a parameter of the same name as a module-level async function', 'd.js', 'async function listener() { await tick(); }\nfunction on(listener) {\n  listener(1);\n}\n', RULE),
    safe('an arrow parameter of the same name', 'e.js', 'async function done() { await tick(); }\nitems.forEach((done) => {\n  done();\n});\n', RULE),
    safe('an async arrow declared in another function', 'f.js', 'function watch() {\n  const listener = async (p) => { await stat(p); };\n  emitter.on("x", listener);\n}\nfunction broadcast(all) {\n  all.forEach((l) => { const listener = l; listener(); });\n}\nfunction fire(listener) { listener(); }\n', RULE),
    safe('a bare call named like an async method', 'g.ts', 'class Q {\n  async flush(): Promise<void> {}\n}\nfunction flush() {}\nflush();\n', RULE),
    safe('an awaited call', 'h.js', 'async function save(r) { await db.put(r); }\nasync function handler() {\n  await save({ id: 1 });\n}\n', RULE),
    vulnerable('a module-level coroutine called from a function', 'a.py', 'async def refresh():\n    await db.sync()\n\ndef handler():\n    refresh()\n', RULE),
    vulnerable('a decorated async method called through self', 'b.py', 'class Cache:\n    @traced\n    async def refresh(self):\n        await db.sync()\n\n    def stop(self):\n        self.refresh()\n', RULE),
    safe('a parameter of the same name as a coroutine', 'c.py', 'async def callback():\n    await db.sync()\n\ndef on(callback):\n    callback()\n', RULE),
    safe('a bare call named like an async method', 'd.py', 'class Cache:\n    async def refresh(self):\n        await db.sync()\n\ndef refresh():\n    pass\n\nrefresh()\n', RULE),
  ]);
});
