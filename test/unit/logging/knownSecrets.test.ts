import * as assert from 'node:assert/strict';
import { authorizationForms, credentialForms, tokenOfAuthorization } from '../../../src/core/logging/knownSecrets';

// Base64 written out by hand (not computed with the code under test). The values are plain words, not token-shaped.
describe('the forms of a credential that are stripped from what a server echoes back', () => {
  it('a token is known as itself and as the Base64 of "token:" without its padding', () => {
    assert.deepEqual(credentialForms('not-a-real-token'), ['not-a-real-token', 'bm90LWEtcmVhbC10b2tlbjo']);
  });

  describe('the token an Authorization header carries', () => {
    const cases: ReadonlyArray<readonly [string, string | undefined, string]> = [
      ['a Bearer header', 'Bearer not-a-real-token', 'not-a-real-token'],
      ['any case of the scheme, spaces around', '  bEARER   not-a-real-token ', 'not-a-real-token'],
      ['a Basic header: the part before the colon', 'Basic bm90LWEtcmVhbC10b2tlbjo=', 'not-a-real-token'],
      ['a Basic login and password: the login only', 'basic YWRhOnBhNTV3b3Jk', 'ada'],
      ['a password with a line break: the login only', 'Basic YWRhOnB3CmxpbmUy', 'ada'],
    ];
    for (const [name, header, token] of cases) {
      it(name, () => {
        assert.equal(tokenOfAuthorization(header), token);
      });
    }

    for (const header of [undefined, '', 'Token not-a-real-token', 'Bearer', 'xBearer not-a-real-token', 'Bearer two words']) {
      it(`none in ${JSON.stringify(header)}`, () => {
        assert.equal(tokenOfAuthorization(header), undefined);
        assert.deepEqual(authorizationForms(header), []);
      });
    }
  });

  describe('every form of a Basic credential, so an echo of a login and password is masked whole', () => {
    const cases: ReadonlyArray<readonly [string, string, readonly string[]]> = [
      ['no padding', 'Basic YWRhOnBhNTV3b3Jk', ['ada', 'YWRhOg', 'YWRhOnBhNTV3b3Jk', 'YWRhOnBhNTV3b3Jk']],
      ['one "=" of padding, with and without it', 'Basic YWRhOnB3eDE=', ['ada', 'YWRhOg', 'YWRhOnB3eDE=', 'YWRhOnB3eDE']],
      ['two "=" of padding, with and without both', 'Basic YWRhOnB3MQ==', ['ada', 'YWRhOg', 'YWRhOnB3MQ==', 'YWRhOnB3MQ']],
      ['the scheme in any case', '  BASIC YWRhOnB3MQ== ', ['ada', 'YWRhOg', 'YWRhOnB3MQ==', 'YWRhOnB3MQ']],
    ];
    for (const [name, header, forms] of cases) {
      it(name, () => {
        assert.deepEqual(authorizationForms(header), forms);
      });
    }

    it('a Bearer header has only the token forms', () => {
      assert.deepEqual(authorizationForms('Bearer not-a-real-token'), ['not-a-real-token', 'bm90LWEtcmVhbC10b2tlbjo']);
    });

    it('text before the scheme is no Basic header', () => {
      assert.deepEqual(authorizationForms('xBasic YWRhOnB3MQ=='), []);
    });
  });
});
