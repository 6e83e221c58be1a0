import * as tls from 'node:tls';
import * as vscode from 'vscode';

export interface HttpSettings {
  readonly timeoutMs: number;
  readonly proxyUrl?: string;
  readonly strictSSL: boolean;
  /** Extra certificate authorities: the operating system's when `http.systemCertificates` is on. */
  readonly ca?: string[];
}

type CertificateStore = 'default' | 'system';
const getCACertificates = (tls as unknown as { getCACertificates?: (store: CertificateStore) => string[] }).getCACertificates;

/** VS Code's own proxy and certificate settings, read at the moment of a request so changes apply at once. */
export function readHttpSettings(): HttpSettings {
  const http = vscode.workspace.getConfiguration('http');
  const ours = vscode.workspace.getConfiguration('sonarqubeTokens');
  const proxyUrl = http.get<string>('proxy')?.trim() || undefined;
  const useSystemCertificates = http.get<boolean>('systemCertificates', true);
  const ca = useSystemCertificates && getCACertificates ? [...getCACertificates('default'), ...getCACertificates('system')] : undefined;
  return {
    timeoutMs: Math.max(1, ours.get<number>('requestTimeoutSeconds', 15)) * 1000,
    proxyUrl,
    strictSSL: http.get<boolean>('proxyStrictSSL', true),
    ca,
  };
}
