import * as vscode from 'vscode';
import { readSetting, Settings } from './settings';

export interface HttpSettings {
  readonly timeoutMs: number;
  readonly proxyUrl?: string;
  readonly strictSSL: boolean;
  /** Extra certificate authorities: the operating system's when `http.systemCertificates` is on. */
  readonly ca?: string[];
}

type CertificateStore = 'default' | 'system';

/** Node 22.15+ reads the operating system's certificates; `node:tls` is loaded here, at the first request, not at activation. */
function systemCertificates(): string[] | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tls = require('node:tls') as { getCACertificates?: (store: CertificateStore) => string[] };
  return tls.getCACertificates ? [...tls.getCACertificates('default'), ...tls.getCACertificates('system')] : undefined;
}

/** VS Code's own proxy and certificate settings, read at the moment of a request so changes apply at once. */
export function readHttpSettings(): HttpSettings {
  const http = vscode.workspace.getConfiguration('http');
  const proxyUrl = http.get<string>('proxy')?.trim() || undefined;
  const useSystemCertificates = http.get<boolean>('systemCertificates', true);
  const ca = useSystemCertificates ? systemCertificates() : undefined;
  return {
    timeoutMs: Math.max(1, readSetting(Settings.requestTimeoutSeconds)) * 1000,
    proxyUrl,
    strictSSL: http.get<boolean>('proxyStrictSSL', true),
    ca,
  };
}
