// Step 3, "validating": every proposed change must apply cleanly to the exact base text, stay
// inside the files the run may touch, keep the file parseable, and fit the blob size limit.
import type { FilePatch } from '#protocol/autofix.ts';
import { sha256Of } from '#server/modules/analysis/blob-store.ts';
import type { BaseFile } from './context.ts';
import type { ModelPatchAnswer } from './model-answer.ts';
import { applyEdits, editFromNewContent, editsFromSearchReplace, normalizeEdits, PatchRejected, toTextEdits, type OffsetEdit } from './patch.ts';
import { checkSyntax } from './syntax-check.ts';

export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The bytes the editor will save: UTF-8, with the BOM the base file had. */
export function bytesOf(file: BaseFile, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  return file.bom ? Buffer.concat([UTF8_BOM, body]) : body;
}

/** The model's answer as offset edits per allowed file; a file outside the allowed set fails the run. */
export function editsFromAnswer(files: readonly BaseFile[], answer: ModelPatchAnswer): Map<string, OffsetEdit[]> {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const allowed = files.map((file) => file.path).join(', ');
  const edits = new Map<string, OffsetEdit[]>();
  for (const proposal of answer.files) {
    const file = byPath.get(proposal.path);
    if (!file) throw new PatchRejected(`the proposal changes ${proposal.path}, which is outside the files this run may change (${allowed})`, proposal.path);
    if (edits.has(proposal.path)) throw new PatchRejected(`the proposal has two patches for ${proposal.path}`, proposal.path);
    edits.set(
      proposal.path,
      proposal.newContent !== undefined ? editFromNewContent(file.text, proposal.newContent) : editsFromSearchReplace(file.path, file.text, proposal.edits ?? []),
    );
  }
  return edits;
}

/** Applies and checks the edits of each file; files left unchanged are dropped. */
export function buildPatches(files: readonly BaseFile[], editsByPath: ReadonlyMap<string, readonly OffsetEdit[]>, maxBlobBytes: number): FilePatch[] {
  const patches: FilePatch[] = [];
  for (const file of files) {
    const proposed = editsByPath.get(file.path);
    if (!proposed?.length) continue;
    const edits = normalizeEdits(file.path, proposed);
    const newContent = applyEdits(file.text, edits);
    if (newContent === file.text) continue;
    const syntax = checkSyntax(file.path, file.text, newContent);
    const bytes = bytesOf(file, newContent);
    if (bytes.length > maxBlobBytes) throw new PatchRejected(`the patched ${file.path} would be ${bytes.length} bytes, over the limit of ${maxBlobBytes}`, file.path);
    patches.push({
      path: file.path,
      baseBlobHash: file.blobHash,
      edits: toTextEdits(file.text, edits),
      newContent,
      newBlobHash: sha256Of(bytes),
      language: syntax.language,
      syntaxChecked: syntax.checked,
    });
  }
  return patches;
}
