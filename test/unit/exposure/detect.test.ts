// The details of one file's findings: which server a file names beside the token, how a finding is identified
// across scans, where exactly a value is (line, column, offset), and which workspace files are scanned at all.
import * as assert from 'node:assert/strict';
import { detectTokens, maskValue } from '../../../src/core/exposure/detect';
import { WORKSPACE_PATTERNS, classifyWorkspaceFile, excludeGlob, knownPlaces } from '../../../src/core/exposure/places';
import type { KnownPlace } from '../../../src/core/exposure/places';
import { findingsInText, mcpServerNameOf, scanPlaces } from '../../../src/core/exposure/scan';

// Fixed, made-up values: the ids below are literal, so the values must be too.
const HEX = '0123456789abcdef0123456789abcdef01234567';
const TOKEN = `squ_${HEX}`;
const OTHER = `sqa_${'f'.repeat(40)}`;

const JSON_PLACE: KnownPlace = { path: '/home/ada/.cursor/mcp.json', kind: 'mcpClient', syntax: 'json', scope: 'user', mcp: { topKey: 'mcpServers', client: 'Cursor' } };
const LINES_PLACE: KnownPlace = { path: '/ws/.env', kind: 'dotenv', syntax: 'lines', scope: 'workspace' };

function assertNoValue(found: unknown): void {
  const text = JSON.stringify(found);
  for (const value of [HEX, TOKEN, OTHER]) assert.ok(!text.includes(value) && !text.includes(value.slice(4, -4)), 'a value is in the findings');
}

function hintOf(env: Record<string, unknown>) {
  const findings = findingsInText(JSON_PLACE, JSON.stringify({ mcpServers: { sonarqube: { env: { ...env, SONARQUBE_TOKEN: TOKEN } } } }));
  assert.equal(findings.length, 1);
  assertNoValue(findings);
  return findings[0].hint;
}

describe('exposure findings: the server named beside a token in JSON', () => {
  for (const key of ['SONARQUBE_URL', 'SONAR_HOST_URL', 'serverUrl', 'sonarQubeUri']) {
    it(`reads the server URL from a sibling "${key}"`, () => {
      assert.deepEqual(hintOf({ [key]: 'https://sonar.example.com' }), { url: 'https://sonar.example.com', organization: undefined });
    });
  }

  for (const key of ['SONARQUBE_ORG', 'organizationKey', 'sonarCloudOrganization']) {
    it(`reads the organization from a sibling "${key}", with no URL when no region is named`, () => {
      assert.deepEqual(hintOf({ [key]: 'acme' }), { organization: 'acme', url: undefined });
    });
  }

  it('takes an organization in the US region (any case) as SonarQube Cloud US, any other region as unknown', () => {
    assert.deepEqual(hintOf({ SONARQUBE_ORG: 'acme', region: 'us' }), { organization: 'acme', url: 'https://sonarqube.us' });
    assert.deepEqual(hintOf({ SONARQUBE_ORG: 'acme', region: 'US' }), { organization: 'acme', url: 'https://sonarqube.us' });
    assert.deepEqual(hintOf({ SONARQUBE_ORG: 'acme', region: 'EU' }), { organization: 'acme', url: undefined });
  });

  it('keeps a named URL over the region when both are there', () => {
    assert.deepEqual(hintOf({ SONARQUBE_URL: 'https://sonar.example.com', SONARQUBE_ORG: 'acme', region: 'US' }), { url: 'https://sonar.example.com', organization: 'acme' });
  });

  it('passes over an empty or non-string URL to the next key, and names no server when there is none', () => {
    assert.deepEqual(hintOf({ SONARQUBE_URL: '', SONAR_HOST_URL: 'https://b.example' }), { url: 'https://b.example', organization: undefined });
    assert.deepEqual(hintOf({ SONARQUBE_URL: 42, serverUrl: 'https://c.example' }), { url: 'https://c.example', organization: undefined });
    assert.equal(hintOf({ SONARQUBE_URL: 42 }), undefined);
  });

  it('reads the hint of a JSON file that starts with a byte order mark or has a trailing comma', () => {
    const text = `\uFEFF{ "mcpServers": { "sonarqube": { "env": { "SONARQUBE_URL": "https://sonar.example.com", "SONARQUBE_TOKEN": "${TOKEN}", }, }, }, }`;
    const findings = findingsInText(JSON_PLACE, text);
    assert.deepEqual(
      findings.map((finding) => [finding.line, finding.column, finding.key, finding.masked, finding.hint]),
      [[1, 109, 'SONARQUBE_TOKEN', 'squ_…4567', { url: 'https://sonar.example.com', organization: undefined }]],
    );
    assertNoValue(findings);
  });

  it('still finds a token whose JSON path the parsed file does not hold (a key given twice)', () => {
    const text = `{ "a": { "b": { "c": { "SONARQUBE_TOKEN": "${TOKEN}" } } }, "a": 1 }`;
    const findings = findingsInText(JSON_PLACE, text);
    assert.deepEqual(findings.map((finding) => [finding.line, finding.column, finding.key, finding.hint]), [[1, 44, 'SONARQUBE_TOKEN', undefined]]);
  });
});

describe('exposure findings: the server named in a line-based file', () => {
  for (const [line, organization] of [
    ['SONARQUBE_ORG=acme', 'acme'],
    ['SONAR_ORGANIZATION: "acme-2"', 'acme-2'],
    ["sonar.organization = 'my.org_1'", 'my.org_1'],
    ['export SONARQUBE_ORG acme', 'acme'],
  ] as const) {
    it(`reads the organization from "${line}"`, () => {
      const findings = findingsInText(LINES_PLACE, `${line}\nSONAR_TOKEN=${TOKEN}\n`);
      assert.deepEqual(findings.map((finding) => finding.hint), [{ url: undefined, organization }]);
      assertNoValue(findings);
    });
  }
});

describe('exposure findings: identity across scans', () => {
  it('gives a value at a place and key the same id on every scan (liveness results are kept by id)', () => {
    const [finding] = findingsInText(LINES_PLACE, `SONAR_TOKEN=${TOKEN}\n`);
    // sha256 of JSON [path, key, jsonPath, sha256(value), occurrence], first 24 hex digits (worked out by hand).
    assert.equal(finding.id, '80ba3d62c108ac6d51d86f4e');
    assert.equal(findingsInText(LINES_PLACE, `# moved down\n\nSONAR_TOKEN=${TOKEN}\n`)[0].id, finding.id);
  });

  it('gives the same value twice under the same key two ids, and under two keys or JSON paths two ids', () => {
    const twice = findingsInText(LINES_PLACE, `SONAR_TOKEN=${TOKEN}\nSONAR_TOKEN=${TOKEN}\nSONAR_TOKEN=${TOKEN}\n`);
    assert.equal(new Set(twice.map((finding) => finding.id)).size, 3);
    const keys = findingsInText(LINES_PLACE, `SONAR_TOKEN=${TOKEN}\nSONARQUBE_TOKEN=${TOKEN}\n`);
    assert.equal(new Set(keys.map((finding) => finding.id)).size, 2);
    const paths = findingsInText(JSON_PLACE, `{ "a": { "SONAR_TOKEN": "${TOKEN}" }, "b": { "SONAR_TOKEN": "${TOKEN}" } }`);
    assert.deepEqual(paths.map((finding) => finding.jsonPath), [['a', 'SONAR_TOKEN'], ['b', 'SONAR_TOKEN']]);
    assert.equal(new Set(paths.map((finding) => finding.id)).size, 2);
  });

  it('keeps the id of one finding when the same value under another key or path is fixed', () => {
    const secondLine = findingsInText(LINES_PLACE, `SONAR_TOKEN=${TOKEN}\nSONARQUBE_TOKEN=${TOKEN}\n`)[1];
    assert.equal(findingsInText(LINES_PLACE, `SONARQUBE_TOKEN=${TOKEN}\n`)[0].id, secondLine.id);
    const secondPath = findingsInText(JSON_PLACE, `{ "a": { "SONAR_TOKEN": "${TOKEN}" }, "b": { "SONAR_TOKEN": "${TOKEN}" } }`)[1];
    assert.equal(findingsInText(JSON_PLACE, `{ "b": { "SONAR_TOKEN": "${TOKEN}" } }`)[0].id, secondPath.id);
  });
});

describe('exposure findings: the MCP server an entry belongs to', () => {
  const servers: KnownPlace = { ...JSON_PLACE, mcp: { topKey: 'servers', client: 'VS Code' } };

  it('names the server only under the place\'s own top key, by a string name', () => {
    assert.equal(mcpServerNameOf({ place: servers, jsonPath: ['servers', 'sonarqube', 'env', 'SONARQUBE_TOKEN'] }), 'sonarqube');
    assert.equal(mcpServerNameOf({ place: servers, jsonPath: ['mcpServers', 'sonarqube', 'env', 'SONARQUBE_TOKEN'] }), undefined);
    assert.equal(mcpServerNameOf({ place: servers, jsonPath: ['servers', 0, 'env', 'SONARQUBE_TOKEN'] }), undefined);
    assert.equal(mcpServerNameOf({ place: { ...servers, mcp: undefined }, jsonPath: ['servers', 'sonarqube', 'env', 'SONARQUBE_TOKEN'] }), undefined);
  });
});

describe('exposure scan: a file that cannot be read', () => {
  it('reports nothing read and nothing found when a file that exists cannot be read', async () => {
    const files = { size: async () => 100, read: async () => undefined };
    const result = await scanPlaces({ files, git: { trackedFiles: async () => undefined }, ignored: new Set(), ownPlainText: [] }, [LINES_PLACE]);
    assert.deepEqual(result, { findings: [], skipped: [], filesRead: 0 });
  });
});

describe('exposure detection: positions', () => {
  it('counts lines and columns across LF, CRLF and CR-only line ends, in offset order', () => {
    const text = `A=1\r\nSONAR_TOKEN=${HEX}\rB=2\nx sqa=${OTHER} and ${TOKEN}\n`;
    const found = detectTokens(text, 'lines');
    assert.deepEqual(
      found.map((match) => [match.offset, match.line, match.column, match.key, match.type]),
      [
        [17, 2, 13, 'SONAR_TOKEN', 'UNTYPED'],
        [68, 4, 7, 'sqa', 'GLOBAL_ANALYSIS_TOKEN'],
        [117, 4, 56, 'and', 'USER_TOKEN'],
      ],
    );
  });

  it('skips only a byte order mark at the very start: one further down (two files joined) moves no column of line 1', () => {
    for (const bom of ['\uFEFF', '\u00EF\u00BB\u00BF']) {
      assert.deepEqual(detectTokens(`SONAR_TOKEN=${HEX}\n${bom}# the second file\n`, 'lines').map((match) => [match.offset, match.line, match.column, match.key]), [[12, 1, 13, 'SONAR_TOKEN']]);
      assert.deepEqual(detectTokens(`${bom}SONAR_TOKEN=${HEX}\n`, 'lines').map((match) => [match.offset, match.line, match.column, match.key]), [[12 + bom.length, 1, 13, 'SONAR_TOKEN']]);
    }
  });

  it('finds a value pasted alone at the start of a line, at column 1', () => {
    assert.deepEqual(detectTokens(`# pasted:\n${TOKEN}\n`, 'lines').map((match) => [match.offset, match.line, match.column, match.key]), [[10, 2, 1, undefined]]);
  });

  it('reads a line-based file line by line even when its text is JSON (no JSON path, so no JSON edit)', () => {
    assert.deepEqual(detectTokens(`{"SONAR_TOKEN": "${TOKEN}"}`, 'lines').map((match) => [match.column, match.key, match.jsonPath]), [[18, 'SONAR_TOKEN', undefined]]);
  });

  it('names no key for a value alone in a JSON array (not its index)', () => {
    assert.deepEqual(detectTokens(`{ "args": ["-e", "${TOKEN}"] }`, 'json').map((match) => [match.column, match.key, match.jsonPath]), [[19, undefined, ['args', 1]]]);
  });

  it('places a token that comes after other text inside a JSON string, with the key written before it', () => {
    const text = `{\n  "args": ["run", "-e", "SONARQUBE_TOKEN=${TOKEN}"],\n  "SONAR_TOKEN": "${HEX}"\n}`;
    const found = detectTokens(text, 'json');
    assert.deepEqual(
      found.map((match) => [match.offset, match.line, match.column, match.key, match.jsonPath, match.wholeString]),
      [
        [43, 2, 42, 'SONARQUBE_TOKEN', ['args', 2], false],
        [109, 3, 19, 'SONAR_TOKEN', ['SONAR_TOKEN'], true],
      ],
    );
    assert.equal(text.slice(found[0].offset, found[0].offset + found[0].length), TOKEN);
  });

  it('takes a bare value in a JSON string after a Sonar key written in the string, and not after another key', () => {
    assert.deepEqual(detectTokens(`{ "args": ["SONAR_TOKEN=${HEX}"] }`, 'json').map((match) => [match.column, match.key]), [[25, 'SONAR_TOKEN']]);
    assert.deepEqual(detectTokens(`{ "args": ["GIT_SHA=${HEX}"] }`, 'json'), []);
    assert.deepEqual(detectTokens(`{ "token": "${HEX}" }`, 'json'), []);
  });

  it('takes a bare value only at the token of a SonarQube for IDE connection, not at its other fields', () => {
    assert.equal(detectTokens(`{ "sonarlint.connectedMode.connections.sonarqube": [{ "token": "${HEX}" }] }`, 'json').length, 1);
    assert.deepEqual(detectTokens(`{ "sonarlint.connectedMode.connections.sonarqube": [{ "tokenx": "${HEX}" }] }`, 'json'), []);
    assert.deepEqual(detectTokens(`{ "sonarlint.connectedMode.connections.sonarqube": [{ "token": 5 }], "x": "y" }`, 'json'), []);
    assert.deepEqual(detectTokens(`{ "sonarlint.connectedMode.connections.sonarqube": [{ "token": ["${HEX}"] }] }`, 'json'), []);
  });

  it('takes only strings in JSON: a long number under a Sonar key is no token', () => {
    assert.deepEqual(detectTokens(`{ "SONAR_TOKEN": 1${'2'.repeat(40)}3 }`, 'json'), []);
  });

  it('reads a JSON file with a byte order mark after its start line by line: it does not parse (JSON.parse refuses it too)', () => {
    const found = detectTokens(`{ "SONAR_TOKEN":\uFEFF"${TOKEN}" }`, 'json');
    assert.deepEqual(found.map((match) => [match.offset, match.column, match.key, match.jsonPath]), [[18, 19, undefined, undefined]]);
  });

  it('takes bare values after the Sonar key spellings with or without a separator, and not after near misses', () => {
    for (const key of ['sonartoken', 'SONAR-LOGIN', 'sonarqube_authtoken', 'sonarcloud.auth-token', 'SONARAUTH_TOKEN']) assert.equal(detectTokens(`${key}=${HEX}\n`, 'lines').length, 1, key);
    for (const key of ['sonar__token', 'sonar_auth__token', 'sonar_authtokens', 'my_sonar_token']) assert.equal(detectTokens(`${key}=${HEX}\n`, 'lines').length, 0, key);
  });
});

describe('exposure detection: masking', () => {
  it('shows nothing of a value of 12 characters or fewer, and 4 + 4 of a longer one', () => {
    assert.equal(maskValue('abcdefghijkl'), '…');
    assert.equal(maskValue('abcdefghijklm'), 'abcd…jklm');
  });
});

describe('exposure places: workspace files by exact name', () => {
  it('scans the CI files by their exact names only, not copies or longer names', () => {
    const kindOf = (relative: string) => {
      const place = classifyWorkspaceFile('/ws', `/ws/${relative}`);
      return place ? `${place.kind}:${place.syntax}${place.ci ? `:${place.ci}` : ''}` : '-';
    };
    const names = [
      '.gitlab-ci.yml', '.gitlab-ci.yml.bak', 'x.gitlab-ci.yml',
      'azure-pipelines.yml', 'old-azure-pipelines.yml',
      'bitbucket-pipelines.yml', 'my-bitbucket-pipelines.yml',
      '.travis.yml', 'x.travis.yml', '.travis.yml.orig',
      '.drone.yml', 'x.drone.yml', '.drone.yml~',
      '.circleci/config.yml', 'Jenkinsfile',
      '.github/workflows/ci.yml', '.github/workflows/ci.yml.bak', 'sub/.github/workflows/ci.yml',
      'azure-pipelines.yml.bak', 'bitbucket-pipelines.yml.orig',
      '.circleci/config.yml.bak', 'sub/.circleci/config.yml', 'Jenkinsfile.bak', 'old/Jenkinsfile',
    ];
    assert.deepEqual(Object.fromEntries(names.map((name) => [name, kindOf(name)])), {
      '.gitlab-ci.yml': 'ci:lines:gitlab', '.gitlab-ci.yml.bak': '-', 'x.gitlab-ci.yml': '-',
      'azure-pipelines.yml': 'ci:lines:azure', 'old-azure-pipelines.yml': '-',
      'bitbucket-pipelines.yml': 'ci:lines:bitbucket', 'my-bitbucket-pipelines.yml': '-',
      '.travis.yml': 'ci:lines:travis', 'x.travis.yml': '-', '.travis.yml.orig': '-',
      '.drone.yml': 'ci:lines:drone', 'x.drone.yml': '-', '.drone.yml~': '-',
      '.circleci/config.yml': 'ci:lines:circleci', 'Jenkinsfile': 'ci:lines:jenkins',
      '.github/workflows/ci.yml': 'ci:lines:github', '.github/workflows/ci.yml.bak': '-', 'sub/.github/workflows/ci.yml': '-',
      'azure-pipelines.yml.bak': '-', 'bitbucket-pipelines.yml.orig': '-',
      '.circleci/config.yml.bak': '-', 'sub/.circleci/config.yml': '-', 'Jenkinsfile.bak': '-', 'old/Jenkinsfile': '-',
    });
  });

  it('asks the file search for every known file, nested where a project may nest it', () => {
    assert.deepEqual(WORKSPACE_PATTERNS, [
      '**/.env', '**/.env.*', '**/.envrc', '**/sonar-project.properties', '**/gradle.properties',
      '.sonarlint/*.json', '.vscode/*.json', '.mcp.json', '.cursor/**/*.json', '.kiro/**/*.json',
      '.github/workflows/*.yml', '.github/workflows/*.yaml', '.gitlab-ci.yml', 'azure-pipelines.yml', 'bitbucket-pipelines.yml',
      '.circleci/config.yml', '.travis.yml', 'Jenkinsfile', '.drone.yml',
    ]);
  });

  it('adds to the user-level places only the known files the search finds in each folder', async () => {
    const found = await knownPlaces({ platform: 'linux', home: '/home/ada', env: {} }, ['/ws'], async (folder, glob, max) => {
      assert.deepEqual([folder, max], ['/ws', 500]);
      assert.equal(glob.startsWith('{**/.env,'), true);
      return ['/ws/.env', '/ws/README.md', '/ws/.travis.yml'];
    });
    assert.deepEqual(found.filter((place) => place.scope === 'workspace').map((place) => `${place.kind} ${place.path}`), ['dotenv /ws/.env', 'ci /ws/.travis.yml']);
    assert.ok(found.every((place) => typeof place === 'object'));
  });

  it('joins the excludes set to true into one glob, and gives none when none is set', () => {
    assert.equal(excludeGlob({ '**/node_modules': true, '**/dist': false, '**/.git': true }, { '**/node_modules': true, '**/out': true }, undefined), '{**/node_modules,**/.git,**/out}');
    assert.equal(excludeGlob({ '**/dist': false }, undefined), undefined);
  });

  it('reads each kind of workspace file with its syntax', () => {
    const of = (relative: string) => {
      const place = classifyWorkspaceFile('/ws', `/ws/${relative}`);
      return place && `${place.kind}:${place.syntax}`;
    };
    assert.deepEqual(
      ['.sonarlint/connectedMode.json', '.vscode/launch.json', 'sub/sonar-project.properties', 'gradle.properties', '.vscode/settings.json'].map(of),
      ['sonarlintShared:json', 'workspaceJson:json', 'properties:lines', 'properties:lines', 'vscodeSettings:json'],
    );
  });
});
