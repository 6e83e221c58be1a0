// Each bundle (activation, commands, Web API client) has its own copy of the error classes: an error thrown in one must
// still be recognised in another.
import * as assert from 'node:assert/strict';
import { isBrowserSignInError } from '../../../src/core/auth/browserSignIn';
import { ConfigFileError, isConfigFileError } from '../../../src/core/config/configFileError';
import { isDuplicateConnectionError } from '../../../src/core/connections/connectionStore';
import { isSonarApiError } from '../../../src/core/sonar/errors';
import { isSecretStoreError, SecretStoreError } from '../../../src/core/tokens/heldTokens';

/** What an error of another bundle's copy of the class looks like from here. */
function fromAnotherBundle(name: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error('thrown elsewhere'), { name }, fields);
}

describe('error guards across bundles', function () {
  it('recognise an error of another copy of the class by its name and fields', function () {
    assert.ok(isConfigFileError(fromAnotherBundle('ConfigFileError', { reason: 'parse', file: '/tmp/mcp.json', wording: () => 'Cannot edit' })));
    assert.ok(isSecretStoreError(fromAnotherBundle('SecretStoreError', { operation: 'store' })));
    assert.ok(isSonarApiError(fromAnotherBundle('SonarApiError', { kind: 'unauthorized' })));
    assert.ok(isBrowserSignInError(fromAnotherBundle('BrowserSignInError', { kind: 'timeout' })));
    assert.ok(isDuplicateConnectionError(fromAnotherBundle('DuplicateConnectionError', { existing: {} })));
  });

  it('recognise their own instances and nothing else', function () {
    assert.ok(isConfigFileError(new ConfigFileError('/tmp/mcp.json', 'parse', () => 'Cannot edit', 1, 1)));
    assert.ok(isSecretStoreError(new SecretStoreError('read', new Error('locked'))));
    assert.equal(isConfigFileError(new Error('Cannot edit')), false);
    assert.equal(isConfigFileError(fromAnotherBundle('ConfigFileError', {})), false);
    assert.equal(isSonarApiError(fromAnotherBundle('TypeError', { kind: 'unauthorized' })), false);
    assert.equal(isSecretStoreError('SecretStoreError'), false);
  });
});
