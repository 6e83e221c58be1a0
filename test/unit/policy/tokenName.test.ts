import * as assert from 'node:assert/strict';
import { suggestTokenName, validateTokenName } from '../../../src/core/policy/tokenName';

describe('token names', () => {
  it('accepts a trimmed name of 1 to 100 characters', () => {
    assert.equal(validateTokenName('  laptop  ', []), undefined);
    assert.equal(validateTokenName('x'.repeat(100), []), undefined);
  });

  it('refuses empty, blank and too long names', () => {
    assert.match(validateTokenName('', []) ?? '', /Enter a name/);
    assert.match(validateTokenName('   ', []) ?? '', /Enter a name/);
    assert.match(validateTokenName('x'.repeat(101), []) ?? '', /101 characters long; at most 100/);
  });

  it('refuses a name the user already has, case-sensitively as the server does', () => {
    assert.match(validateTokenName(' ci ', ['ci']) ?? '', /"ci" already exists/);
    assert.equal(validateTokenName('CI', ['ci']), undefined);
  });

  it('suggests vscode-<machine>-<date>, made unique', () => {
    const now = new Date('2025-03-04T23:30:00Z');
    assert.equal(suggestTokenName('Alice’s MacBook.local', now, []), 'vscode-alice-s-macbook-local-2025-03-04');
    const taken = ['vscode-box-2025-03-04', 'vscode-box-2025-03-04-2'];
    assert.equal(suggestTokenName('BOX', now, taken), 'vscode-box-2025-03-04-3');
    assert.equal(suggestTokenName('---', now, []), 'vscode-2025-03-04');
  });
});
