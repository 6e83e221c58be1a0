// Where a connection points, decided from what the user typed. Imported at activation: keep it free of undici and zod.
import { englishMessage } from '../ports';
import type { Translate } from '../ports';
import type { Region, SonarTarget } from './types';
import { PRODUCT } from '../productNames';

export type ParsedServerUrl = { readonly ok: true; readonly target: SonarTarget } | { readonly ok: false; readonly reason: string };

const cloudHosts: ReadonlyArray<{ readonly host: string; readonly region: Region }> = [
  { host: 'sonarcloud.io', region: 'EU' },
  { host: 'sonarqube.us', region: 'US' },
];

/** SonarSource's own clients decide Server vs Cloud by host name: the Cloud domains and their subdomains. */
export function cloudRegionOf(host: string): Region | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  return cloudHosts.find((cloud) => name === cloud.host || name.endsWith(`.${cloud.host}`))?.region;
}

export function cloudBaseUrl(region: Region): string {
  return region === 'US' ? 'https://sonarqube.us' : 'https://sonarcloud.io';
}

/** The base every `api/...` path is appended to (no trailing slash). */
export function apiBaseUrl(target: SonarTarget): string {
  return target.kind === 'server' ? target.serverUrl : cloudBaseUrl(target.region);
}

/** `scheme://host[:port]`: what proxies, certificates and keep-alive connections are decided by. */
export function targetOrigin(target: SonarTarget): string {
  return new URL(apiBaseUrl(target)).origin;
}

/**
 * Accepts `http(s)://host[:port][/context/path]`, normalised (lower-case host, no default port, no trailing or
 * doubled slashes). Refuses what would silently be dropped or leak: other schemes, credentials, query, fragment.
 */
export function parseServerUrl(input: string, t: Translate = englishMessage): ParsedServerUrl {
  const text = input.trim();
  if (text === '') {
    return { ok: false, reason: t({ message: 'Enter the URL of your {0}, or https://sonarcloud.io for {1}.', comment: ['{0} and {1} are product names, SonarQube Server and SonarQube Cloud.'] }, PRODUCT.sonarQubeServer, PRODUCT.sonarQubeCloud) };
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return { ok: false, reason: t('Start the URL with https:// or http://, for example https://sonarqube.example.com.') };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: t('This is not a valid URL.') };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: t('Only https:// and http:// URLs are supported.') };
  }
  if (url.hostname === '') {
    return { ok: false, reason: t('The URL has no host name.') };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: t('Remove the user name and password from the URL: the token is stored separately.') };
  }
  if (url.search !== '' || text.includes('?')) {
    return { ok: false, reason: t('Remove the query (the part after ?) from the URL.') };
  }
  if (url.hash !== '' || text.includes('#')) {
    return { ok: false, reason: t('Remove the fragment (the part after #) from the URL.') };
  }
  const region = cloudRegionOf(url.hostname);
  if (region) {
    const organization = /^\/organizations\/([^/]+)/.exec(url.pathname)?.[1];
    const target: SonarTarget = organization
      ? { kind: 'cloud', region, organization: decodeURIComponent(organization) }
      : { kind: 'cloud', region };
    return { ok: true, target };
  }
  const contextPath = url.pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return { ok: true, target: { kind: 'server', serverUrl: `${url.origin}${contextPath}` } };
}
