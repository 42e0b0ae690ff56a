// Markdown as plain text, for the places that show text literally: tree item labels and
// descriptions, diagnostics in the Problems panel, quick pick rows. Finding messages and run
// errors are written in Markdown (`eval` in backticks), which those places would show as is.

/** Code spans become 'quoted', emphasis and links keep only their text. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/`([^`\n]+)`/g, "'$1'")
    .replace(/\[([^\]\n]+)\]\((?:[^)\s]+)\)/g, '$1')
    .replace(/(\*\*|__)(?=\S)([^*_\n]+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[\s(])\*(?=\S)([^*\n]+?)(?<=\S)\*(?=[\s).,;:!?]|$)/g, '$1$2');
}
