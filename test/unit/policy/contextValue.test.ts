import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tokenContextValue, whenClauseFlag } from '../../../src/core/policy/contextValue';
import type { TokenContextFlags } from '../../../src/core/policy/contextValue';

const plain: TokenContextFlags = { held: false, expired: false, type: 'USER_TOKEN', bound: false, revocationUnconfirmed: false };

describe('token context values', () => {
  it('puts the flags in a fixed order', () => {
    assert.equal(tokenContextValue(plain), 'token+user');
    assert.equal(tokenContextValue({ held: true, expired: true, type: 'USER_TOKEN', bound: true, revocationUnconfirmed: true }), 'token+held+expired+user+bound+unconfirmed');
    assert.equal(tokenContextValue({ ...plain, type: 'GLOBAL_ANALYSIS_TOKEN' }), 'token+globalAnalysis');
    assert.equal(tokenContextValue({ ...plain, held: true, type: 'PROJECT_ANALYSIS_TOKEN' }), 'token+held+projectAnalysis');
  });

  it('whenClauseFlag writes the \\b regex form', () => {
    assert.equal(whenClauseFlag('token', 'held', 'user'), 'viewItem =~ /^token\\b.*\\+held\\b.*\\+user\\b/');
  });

  it('matches the manifest: every token when clause selects exactly the items with its flags', () => {
    const manifest = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as {
      contributes: { menus: Record<string, Array<{ when?: string }>> };
    };
    const regexes = Object.values(manifest.contributes.menus)
      .flat()
      .map((entry) => /viewItem =~ \/(\^token\\b[^/]*)\//.exec(entry.when ?? '')?.[1])
      .filter((source): source is string => source !== undefined)
      .map((source) => new RegExp(source));
    assert.ok(regexes.length > 0, 'the manifest has token menus');
    const all = [false, true].flatMap((held) =>
      (['USER_TOKEN', 'GLOBAL_ANALYSIS_TOKEN', 'PROJECT_ANALYSIS_TOKEN'] as const).flatMap((type) =>
        [false, true].map((expired) => ({ ...plain, held, type, expired })),
      ),
    );
    for (const regex of regexes) {
      for (const flags of all) {
        const value = tokenContextValue(flags);
        const wanted = (!regex.source.includes('held') || flags.held) && (!regex.source.includes('user') || flags.type === 'USER_TOKEN');
        assert.equal(regex.test(value), wanted, `${regex.source} on ${value}`);
      }
    }
  });
});
