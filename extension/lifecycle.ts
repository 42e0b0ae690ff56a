import * as vscode from 'vscode';

/**
 * Base for anything that owns disposables: `register()` keeps them, `dispose()` releases them in
 * reverse order, once. Services extend it and are themselves pushed to context.subscriptions, so
 * nothing the extension creates outlives it.
 */
export class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  protected register<T extends vscode.Disposable>(disposable: T): T {
    if (this.disposed) disposable.dispose();
    else this.owned.push(disposable);
    return disposable;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const disposable of this.owned.splice(0).reverse()) {
      try {
        disposable.dispose();
      } catch {
        // One failing disposal must not leak the others.
      }
    }
  }
}

/** A disposable that runs `dispose` once. */
export function toDisposable(dispose: () => void): vscode.Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      dispose();
    },
  };
}
