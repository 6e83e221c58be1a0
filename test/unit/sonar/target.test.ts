import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { apiBaseUrl, cloudBaseUrl, cloudRegionOf, parseServerUrl, targetOrigin } from '../../../src/core/sonar/target';
import type { SonarTarget } from '../../../src/core/sonar/types';
import { bundleTranslator } from '../support/bundleTranslator';

function parsedTarget(input: string): SonarTarget {
  const result = parseServerUrl(input);
  assert.ok(result.ok, `expected ${input} to parse, got ${result.ok ? '' : result.reason}`);
  return result.target;
}

describe('sonar target', () => {
  describe('parseServerUrl', () => {
    const servers: Array<[string, string]> = [
      ['https://sonar.example.com', 'https://sonar.example.com'],
      ['https://sonar.example.com/', 'https://sonar.example.com'],
      ['  https://Sonar.Example.COM///  ', 'https://sonar.example.com'],
      ['https://sonar.example.com:443/', 'https://sonar.example.com'],
      ['http://localhost:9000', 'http://localhost:9000'],
      ['https://host/sonarqube', 'https://host/sonarqube'],
      ['https://host/sonarqube/', 'https://host/sonarqube'],
      ['https://host//tools//sonarqube//', 'https://host/tools/sonarqube'],
      ['http://[::1]:9000/', 'http://[::1]:9000'],
    ];
    for (const [input, serverUrl] of servers) {
      it(`normalises ${JSON.stringify(input)} to ${serverUrl}`, () => {
        assert.deepEqual(parsedTarget(input), { kind: 'server', serverUrl });
      });
    }

    const clouds: Array<[string, SonarTarget]> = [
      ['https://sonarcloud.io', { kind: 'cloud', region: 'EU' }],
      ['https://SonarCloud.io/', { kind: 'cloud', region: 'EU' }],
      ['https://www.sonarcloud.io/projects', { kind: 'cloud', region: 'EU' }],
      ['https://sonarqube.us', { kind: 'cloud', region: 'US' }],
      ['https://api.sonarqube.us', { kind: 'cloud', region: 'US' }],
      ['https://sonarcloud.io/organizations/my-org/projects', { kind: 'cloud', region: 'EU', organization: 'my-org' }],
    ];
    for (const [input, target] of clouds) {
      it(`recognises ${input} as SonarQube Cloud`, () => {
        assert.deepEqual(parsedTarget(input), target);
      });
    }

    const refused: Array<[string, RegExp]> = [
      ['', /Enter the URL/],
      ['sonar.example.com', /https:\/\//],
      ['localhost:9000', /https:\/\//],
      ['ftp://sonar.example.com', /Only https/],
      ['file:///etc/passwd', /Only https/],
      ['javascript:alert(1)', /Start the URL with https:\/\//],
      ['https://user:secret@sonar.example.com', /user name and password/],
      ['https://sonar.example.com/?next=1', /query/],
      ['https://sonar.example.com/?', /query/],
      ['https://sonar.example.com/#about', /fragment/],
      ['https://exa mple.com', /not a valid URL/],
    ];
    for (const [input, reason] of refused) {
      it(`refuses ${JSON.stringify(input)}`, () => {
        const result = parseServerUrl(input);
        assert.equal(result.ok, false);
        assert.match(result.ok ? '' : result.reason, reason);
      });
    }

    it('does not take a look-alike host for Cloud', () => {
      assert.deepEqual(parsedTarget('https://notsonarcloud.io'), { kind: 'server', serverUrl: 'https://notsonarcloud.io' });
      assert.deepEqual(parsedTarget('https://sonarcloud.io.evil.example'), { kind: 'server', serverUrl: 'https://sonarcloud.io.evil.example' });
    });

    it('asks for a URL naming both products when nothing was entered, in the bundled wording', () => {
      const result = parseServerUrl('   ', bundleTranslator);
      assert.deepEqual(result, { ok: false, reason: 'Enter the URL of your SonarQube Server, or https://sonarcloud.io for SonarQube Cloud.' });
    });

    it('takes a Cloud organization only from a path that starts with /organizations/', () => {
      assert.deepEqual(parsedTarget('https://sonarcloud.io/project/organizations/acme'), { kind: 'cloud', region: 'EU' });
      assert.deepEqual(parsedTarget('https://sonarcloud.io/organizations/acme/projects'), { kind: 'cloud', region: 'EU', organization: 'acme' });
    });

    it('words its reasons through the injected translation', () => {
      const result = parseServerUrl('ftp://x', (message) => `[fr] ${message}`);
      assert.match(result.ok ? '' : result.reason, /^\[fr\] /);
    });
  });

  it('cloudRegionOf covers the two domains and their subdomains only', () => {
    assert.notEqual(cloudRegionOf('sonarcloud.io'), undefined);
    assert.notEqual(cloudRegionOf('eu.SONARCLOUD.io'), undefined);
    assert.notEqual(cloudRegionOf('sonarqube.us'), undefined);
    assert.equal(cloudRegionOf('sonarqube.example.us'), undefined);
    assert.equal(cloudRegionOf('sonar.example.com'), undefined);
  });

  it('gives base URLs, origins and descriptions', () => {
    const server: SonarTarget = { kind: 'server', serverUrl: 'https://host:8443/sonarqube' };
    assert.equal(apiBaseUrl(server), 'https://host:8443/sonarqube');
    assert.equal(targetOrigin(server), 'https://host:8443');

    assert.equal(cloudBaseUrl('EU'), 'https://sonarcloud.io');
    assert.equal(cloudBaseUrl('US'), 'https://sonarqube.us');
    assert.equal(apiBaseUrl({ kind: 'cloud', region: 'US' }), 'https://sonarqube.us');
    assert.equal(targetOrigin({ kind: 'cloud', region: 'EU', organization: 'o' }), 'https://sonarcloud.io');
  });

  it('stays loadable at activation: no undici or zod import', () => {
    const source = readFileSync(path.join(process.cwd(), 'src', 'core', 'sonar', 'target.ts'), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
    assert.deepEqual(imports.filter((name) => !name.startsWith('.')), []);
    assert.ok(!imports.includes('./schemas') && !imports.includes('./transport') && !imports.includes('./client'));
  });
});
