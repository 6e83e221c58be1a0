// Writes l10n/bundle.l10n.json: every message given to `t(...)` in src/, in @vscode/l10n-dev's bundle format.
// Our own reading of the TypeScript syntax tree, because l10n-dev's exporter only sees `vscode.l10n.t(...)` in files
// that import vscode, while most of our messages go through a `t` the core receives as a parameter.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

/** The one module that forwards `t` to the editor: its call passes a variable on purpose. */
const FORWARDER = 'src/vscode/l10n.ts';

function isTranslateCall(node) {
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression;
  return (ts.isIdentifier(callee) && callee.text === 't') || (ts.isPropertyAccessExpression(callee) && callee.name.text === 't');
}

function literalText(node) {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

function property(object, name) {
  const found = object.properties.find((candidate) => ts.isPropertyAssignment(candidate) && candidate.name.getText() === name);
  return found && found.initializer;
}

/** A call's bundle entry: `[key, value]`, or undefined when its first argument is not a literal. */
function entryOf(call) {
  const first = call.arguments[0];
  const message = literalText(first);
  if (message !== undefined) return [message, message];
  if (!first || !ts.isObjectLiteralExpression(first)) return undefined;
  const text = literalText(property(first, 'message'));
  const comment = property(first, 'comment');
  const comments = comment && ts.isArrayLiteralExpression(comment) ? comment.elements.map(literalText) : [literalText(comment)];
  if (text === undefined || comments.some((line) => line === undefined)) return undefined;
  // The key VS Code looks a translation up by when the call passes a comment.
  return [`${text}/${comments.join('')}`, { message: text, comment: comments }];
}

/**
 * Reads one source file. `problems` lists the calls whose message is not a literal: a translator would never see
 * them, so they are errors, not skipped.
 */
function messagesOf(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const entries = [];
  const problems = [];
  const visit = (node) => {
    if (isTranslateCall(node)) {
      const entry = entryOf(node);
      if (entry) entries.push(entry);
      else {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        problems.push(`${fileName}:${line + 1}: the first argument of t() must be a string literal or { message, comment } of literals`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { entries, problems };
}

function sourceFiles(root, folder) {
  return fs
    .readdirSync(path.join(root, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(root, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
    .filter((file) => file !== FORWARDER)
    .sort();
}

/** The bundle for every `.ts` file under `root/src`, keys sorted so the file only changes when a message does. */
function exportBundle(root) {
  const bundle = {};
  const problems = [];
  for (const file of sourceFiles(root, 'src')) {
    const found = messagesOf(file, fs.readFileSync(path.join(root, file), 'utf8'));
    for (const [key, value] of found.entries) bundle[key] = value;
    problems.push(...found.problems);
  }
  const sorted = Object.fromEntries(Object.keys(bundle).sort().map((key) => [key, bundle[key]]));
  return { bundle: sorted, problems };
}

function bundleText(bundle) {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

const BUNDLE_PATH = 'l10n/bundle.l10n.json';

/** Writes the bundle; fails (without writing) when a call's message is not a literal. */
function writeBundle(root) {
  const { bundle, problems } = exportBundle(root);
  if (problems.length > 0) throw new Error(`Messages the l10n bundle cannot list:\n${problems.join('\n')}`);
  fs.mkdirSync(path.join(root, 'l10n'), { recursive: true });
  fs.writeFileSync(path.join(root, BUNDLE_PATH), bundleText(bundle));
  return Object.keys(bundle).length;
}

module.exports = { messagesOf, exportBundle, bundleText, writeBundle, BUNDLE_PATH };

if (require.main === module) {
  const count = writeBundle(path.resolve(__dirname, '..', '..'));
  console.log(`${BUNDLE_PATH}: ${count} messages`);
}
