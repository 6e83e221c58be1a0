import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MAX_LOG_LINE_LENGTH, capLength, createRedactingLogger, redactSecrets, toSingleLine } from '../../../src/core/logging/redact';
import { RecordingLogger } from '../support/recordingLogger';

// Token-shaped values are generated at run time: no real-looking token is committed.
const hex40 = (): string => randomBytes(20).toString('hex');

describe('redactSecrets', () => {
  const user = `squ_${hex40()}`;
  const project = `sqp_${hex40()}`;
  const globalAnalysis = `sqa_${hex40()}`;
  const scoped = `sqco_${hex40()}`;
  const legacy = hex40();
  const basic = Buffer.from(`${user}:`).toString('base64');

  const table: ReadonlyArray<readonly [string, string]> = [
    [`using ${user} now`, `using *** now`],
    [`project ${project}, global ${globalAnalysis}, scoped ${scoped}`, `project ***, global ***, scoped ***`],
    [`upper case ${user.toUpperCase()}`, `upper case ***`],
    [`legacy token ${legacy}.`, `legacy token ***.`],
    [`glued:${user}|x${legacy}z`, `glued:***|x***z`],
    [`Authorization: Bearer ${user}`, `Authorization: Bearer ***`],
    [`authorization: basic ${basic}`, `authorization: basic ***`],
    [`{"Authorization":"Bearer opaque-value-123"}`, `{"Authorization":"Bearer ***"}`],
    [`authorization : Bearer opaque-value-123`, `authorization : Bearer ***`],
    [`Authorization: Bearer   opaque-value-123`, `Authorization: Bearer   ***`],
    [`GET /api/x?token=opaque-value-123&page=2`, `GET /api/x?token=***&page=2`],
    [`form access_token=abc.def-ghi; next`, `form access_token=***; next`],
    [`env SONAR_TOKEN=opaque-value-123 FOO=bar`, `env SONAR_TOKEN=*** FOO=bar`],
    [`login=alice&password=hunter2!`, `login=alice&password=***`],
    [`body {"token": "opaque-value-123"}`, `body {"token": "***"}`],
    [`compact {"token":"opaque-value-123","login":"alice"}`, `compact {"token":"***","login":"alice"}`],
    [`oauth {"access_token": "opaque-value-123", "expires_in": 3600}`, `oauth {"access_token": "***", "expires_in": 3600}`],
    [`{"sonar.password":"hunter2!"}`, `{"sonar.password":"***"}`],
  ];

  for (const [input, expected] of table) {
    it(`masks ${expected}`, () => {
      assert.equal(redactSecrets(input), expected);
    });
  }

  it('masks git commit SHAs too (they are indistinguishable from legacy tokens)', () => {
    const sha = hex40();
    assert.equal(redactSecrets(`checked out ${sha}`), `checked out ***`);
  });

  it('masks a known value that contains a shorter known value whole, whatever order they come in', () => {
    const inner = 'opaque-secret';
    const outer = `${inner}-with-suffix`;
    assert.equal(redactSecrets(`x ${outer} y ${inner} z`, [inner, outer]), 'x *** y *** z');
    assert.equal(redactSecrets(`x ${outer} y ${inner} z`, [outer, inner]), 'x *** y *** z');
  });

  it('masks a known value of exactly eight characters, the shortest it masks', () => {
    assert.equal(redactSecrets('key 8chars!! and 7chars!', ['8chars!!', '7chars!']), 'key *** and 7chars!');
  });

  it('masks known values wherever they appear, longest first', () => {
    const known = 'not-token-shaped-secret';
    assert.equal(redactSecrets(`a${known}b and ${known}-suffix`, [known, 'not-token']), `a***b and ***-suffix`);
    assert.equal(redactSecrets('a (x.y)+ b', ['(x.y)+ b']), `a ***`, 'regex characters in a known value are literal');
  });

  it('ignores very short known values that would shred ordinary words', () => {
    assert.equal(redactSecrets('the quick fox', ['e', 'fox']), 'the quick fox');
  });

  it('leaves ordinary text alone', () => {
    const ordinary = [
      'Loaded 12 tokens for sonar.example.com/sonarqube (HTTP 200, 143 ms)',
      'Basic authentication is not supported; tokens=3 maxTokens: 5',
      'GET https://sonarcloud.io/api/user_tokens/search?login=alice&p=1',
      'sha256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'short hex deadbeef and 39 chars 0123456789abcdef0123456789abcdef0123456',
      'token expired on 2025-01-01; token-name "ci" kept',
    ];
    for (const line of ordinary) assert.equal(redactSecrets(line), line);
  });

  it('is idempotent', () => {
    for (const [input] of table) {
      const once = redactSecrets(input);
      assert.equal(redactSecrets(once), once);
    }
  });
});

describe('toSingleLine and capLength', () => {
  it('turns line breaks into a visible mark and control characters into ?', () => {
    assert.equal(toSingleLine('a\r\nb\nc\rd\u2028e'), 'a ⏎ b ⏎ c ⏎ d ⏎ e');
    assert.equal(toSingleLine('\u001b[31mred\u001b[0m\ttab'), '?[31mred?[0m\ttab');
  });

  it('cuts long lines and says how much was left out', () => {
    assert.equal(capLength('abcdef', 4), 'abcd… (2 more characters)');
    assert.equal(capLength('abcd', 4), 'abcd');
  });
});

describe('createRedactingLogger', () => {
  it('redacts, single-lines and caps every level', () => {
    const sink = new RecordingLogger();
    const held = `squ_${hex40()}`;
    const custom = 'custom-secret-value';
    const logger = createRedactingLogger(sink);
    logger.debug(`one ${held}`);
    logger.info(`two\npassword=${custom}`);
    logger.warn(`Authorization: Bearer ${custom}`);
    logger.error('x'.repeat(MAX_LOG_LINE_LENGTH + 10));
    assert.deepEqual(sink.lines.slice(0, 3), [`debug one ***`, `info two ⏎ password=***`, `warn Authorization: Bearer ***`]);
    assert.equal(sink.lines[3], `error ${'x'.repeat(MAX_LOG_LINE_LENGTH)}… (10 more characters)`);
    for (const line of sink.lines) {
      assert.ok(!line.includes(held) && !line.includes(custom));
    }
  });

  it('redacts before cutting, so no part of a token straddling the cut survives', () => {
    const sink = new RecordingLogger();
    const held = `squ_${hex40()}`;
    createRedactingLogger(sink).info(`${'x'.repeat(MAX_LOG_LINE_LENGTH - 10)}${held}`);
    assert.ok(!sink.lines[0]!.includes(held.slice(0, 10)));
    assert.ok(sink.lines[0]!.endsWith('***'));
  });

  it('asks for known values on every line and survives a failing supplier', () => {
    const sink = new RecordingLogger();
    const values: string[] = [];
    let fail = false;
    const logger = createRedactingLogger(sink, () => {
      if (fail) throw new Error('store not ready');
      return values;
    });
    values.push('added-after-creation');
    logger.info('x added-after-creation');
    fail = true;
    logger.info(`y ${'a'.repeat(40)}`);
    assert.deepEqual(sink.lines, [`info x ***`, `info y ***`]);
  });
});
