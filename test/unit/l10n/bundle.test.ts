// The l10n bundle lists exactly the messages src/ gives to t(), so a translator sees every one and VS Code finds
// each translation by the key the call looks it up with. The bundle is written by `npm run compile` and by every
// esbuild run (so never committed, never stale); these tests check what was written against the sources.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRODUCT } from '../../../src/core/productNames';
import { t } from '../../../src/vscode/l10n';
import { bundleTranslator, translationKey } from '../support/bundleTranslator';

type BundleValue = string | { message: string; comment: string[] };
type Bundle = Record<string, BundleValue>;
interface BundleTool {
  messagesOf(fileName: string, text: string): { entries: Array<[string, BundleValue]>; problems: string[] };
  exportBundle(root: string): { bundle: Bundle; problems: string[] };
  BUNDLE_PATH: string;
}

const root = path.resolve(__dirname, '../../../..');
// A CommonJS script (the build runs it before bundling), loaded from the repository, not from out/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tool = require(path.join(root, 'scripts/l10n/bundle.cjs')) as BundleTool;
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { l10n?: string };

function messageOf(value: BundleValue): string {
  return typeof value === 'string' ? value : value.message;
}

/** Each message that names a product, with the names it contains (a translator could rename them). */
function productNamesIn(messages: readonly string[]): Array<{ message: string; names: string[] }> {
  const names = Object.values(PRODUCT);
  const named = (message: string) => names.filter((name) => new RegExp(`\\b${name}\\b`).test(message));
  return messages.map((message) => ({ message, names: named(message) })).filter((found) => found.names.length > 0);
}

describe('l10n bundle', () => {
  const fromSources = tool.exportBundle(root);
  const shipped = JSON.parse(fs.readFileSync(path.join(root, tool.BUNDLE_PATH), 'utf8')) as Bundle;

  it('holds every message src/ gives to t(), and no message src/ no longer uses', () => {
    const missing = Object.keys(fromSources.bundle).filter((key) => !(key in shipped));
    assert.deepEqual(missing, [], `${tool.BUNDLE_PATH} lacks messages: run npm run compile or npm run build`);
    const stale = Object.keys(shipped).filter((key) => !(key in fromSources.bundle));
    assert.deepEqual(stale, [], `${tool.BUNDLE_PATH} has messages no code uses: run npm run compile or npm run build`);
    assert.deepEqual(shipped, fromSources.bundle);
  });

  it('finds a literal message in every call of t() in src/', () => {
    assert.deepEqual(fromSources.problems, []);
    // The host layer and the core together: far more than the 91 @vscode/l10n-dev's exporter saw.
    assert.ok(Object.keys(fromSources.bundle).length > 300, `only ${Object.keys(fromSources.bundle).length} messages found`);
  });

  it('reads each call shape the code uses, and refuses a message a translator could not see', () => {
    const source = [
      "t('Plain {0}', name);",
      'deps.t("Double \\"quoted\\"");',
      'this.t(`Template without substitution`);',
      "vscode.l10n.t('Through the editor');",
      "t({ message: 'Token {0} on {1}', comment: ['{0} is the token name; ', '{1} the connection name.'] }, a, b);",
      "t({ message: 'One comment', comment: 'A single string.' });",
      'const other = format(\'Not a message\');',
      't(variable);',
      't(`Substituted ${x}`);',
      "t({ message: dynamic, comment: ['x'] });",
    ].join('\n');
    assert.deepEqual(tool.messagesOf('sample.ts', source), {
      entries: [
        ['Plain {0}', 'Plain {0}'],
        ['Double "quoted"', 'Double "quoted"'],
        ['Template without substitution', 'Template without substitution'],
        ['Through the editor', 'Through the editor'],
        ['Token {0} on {1}/{0} is the token name; {1} the connection name.', { message: 'Token {0} on {1}', comment: ['{0} is the token name; ', '{1} the connection name.'] }],
        ['One comment/A single string.', { message: 'One comment', comment: ['A single string.'] }],
      ],
      problems: [
        'sample.ts:8: the first argument of t() must be a string literal or { message, comment } of literals',
        'sample.ts:9: the first argument of t() must be a string literal or { message, comment } of literals',
        'sample.ts:10: the first argument of t() must be a string literal or { message, comment } of literals',
      ],
    });
  });

  it('keeps icons out of translated text', () => {
    const withIcon = Object.values(shipped).map(messageOf).filter((message) => /\$\([\w-]+\)/.test(message));
    assert.deepEqual(withIcon, []);
  });

  it('keeps product names out of translated text: they are placeholders filled from PRODUCT', () => {
    const messages = Object.values(shipped).map(messageOf);
    assert.deepEqual(productNamesIn(messages), [], 'put each name in a placeholder: t(\'Restart {0} to load it.\', PRODUCT.claudeDesktop)');
    // The check itself: it names what it finds, and a comment (not translated) may name a product.
    assert.deepEqual(productNamesIn(['Restart Claude Desktop to load it.', 'Bind to SonarQube for IDE…', 'Move the cursor']), [
      { message: 'Restart Claude Desktop to load it.', names: ['Claude Desktop'] },
      { message: 'Bind to SonarQube for IDE…', names: ['SonarQube', 'SonarQube for IDE'] },
    ]);
    assert.ok(Object.keys(shipped).some((key) => key.includes('a product name, SonarQube for IDE')), 'translator notes name the product');
  });

  it('passes a translator note on to the editor and fills the placeholders', () => {
    assert.equal(t({ message: 'Token {0} on {1}', comment: '{0} is the token name.' }, 'ci', 'Acme'), 'Token ci on Acme');
    assert.equal(t('Token {0}', 'ci'), 'Token ci');
  });

  it('gives tests a translator that refuses, as a lookup in the bundle would, a message or translator note the bundle lacks', () => {
    const copied = { message: 'Token {0} copied. The clipboard will be cleared in {1} seconds.', comment: ['{0} is the token name; {1} a number.'] };
    assert.equal(translationKey(copied), 'Token {0} copied. The clipboard will be cleared in {1} seconds./{0} is the token name; {1} a number.');
    assert.equal(bundleTranslator(copied, 'ci', 30), 'Token ci copied. The clipboard will be cleared in 30 seconds.');
    assert.equal(bundleTranslator('Token {0} copied.', 'ci'), 'Token ci copied.');
    assert.throws(() => bundleTranslator({ ...copied, comment: [] }, 'ci', 30), /no translation could be found for "Token \{0\} copied\. The clipboard will be cleared in \{1\} seconds\."/);
    assert.throws(() => bundleTranslator({ ...copied, comment: ['Stryker was here!'] }, 'ci', 30), /no translation could be found/);
    assert.throws(() => bundleTranslator(''), /no translation could be found for ""/);
  });

  it('is where package.json tells VS Code to look', () => {
    assert.equal(manifest.l10n, './l10n');
    assert.equal(tool.BUNDLE_PATH, 'l10n/bundle.l10n.json');
  });
});
