import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MAX_LOG_LINE_LENGTH, REDACTED, capLength, createRedactingLogger, redactSecrets, toSingleLine } from '../../../src/core/logging/redact';
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
    [`using ${user} now`, `using ${REDACTED} now`],
    [`project ${project}, global ${globalAnalysis}, scoped ${scoped}`, `project ${REDACTED}, global ${REDACTED}, scoped ${REDACTED}`],
    [`upper case ${user.toUpperCase()}`, `upper case ${REDACTED}`],
    [`legacy token ${legacy}.`, `legacy token ${REDACTED}.`],
    [`glued:${user}|x${legacy}z`, `glued:${REDACTED}|x${REDACTED}z`],
    [`Authorization: Bearer ${user}`, `Authorization: Bearer ${REDACTED}`],
    [`authorization: basic ${basic}`, `authorization: basic ${REDACTED}`],
    [`{"Authorization":"Bearer opaque-value-123"}`, `{"Authorization":"Bearer ${REDACTED}"}`],
    [`GET /api/x?token=opaque-value-123&page=2`, `GET /api/x?token=${REDACTED}&page=2`],
    [`form access_token=abc.def-ghi; next`, `form access_token=${REDACTED}; next`],
    [`env SONAR_TOKEN=opaque-value-123 FOO=bar`, `env SONAR_TOKEN=${REDACTED} FOO=bar`],
    [`login=alice&password=hunter2!`, `login=alice&password=${REDACTED}`],
    [`body {"token": "opaque-value-123"}`, `body {"token": "${REDACTED}"}`],
  ];

  for (const [input, expected] of table) {
    it(`masks ${expected}`, () => {
      assert.equal(redactSecrets(input), expected);
    });
  }

  it('masks git commit SHAs too (they are indistinguishable from legacy tokens)', () => {
    const sha = hex40();
    assert.equal(redactSecrets(`checked out ${sha}`), `checked out ${REDACTED}`);
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
    assert.deepEqual(sink.lines.slice(0, 3), [`debug one ${REDACTED}`, `info two ⏎ password=${REDACTED}`, `warn Authorization: Bearer ${REDACTED}`]);
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
    assert.ok(sink.lines[0]!.endsWith(REDACTED));
  });

});
