import * as vscode from 'vscode';
import type { SonarlintConnections } from '../core/connectedMode/sonarlint';
import { sonarLintWindowDescription, trustedOriginOf } from '../core/mcp/idePort';
import type { IdeWindow } from '../core/mcp/idePort';

/** This window as SonarQube for IDE describes it, to find its embedded server among the other windows'. */
export function thisIdeWindow(): IdeWindow {
  const connectedMode = vscode.workspace.getConfiguration('sonarlint.connectedMode');
  const read = (section: string) => connectedMode.get<unknown[]>(`connections.${section}`) ?? [];
  const connections: SonarlintConnections = { sonarqube: read('sonarqube'), sonarcloud: read('sonarcloud') };
  return { description: sonarLintWindowDescription(vscode.version, vscode.workspace.name), trustedOrigin: trustedOriginOf(connections) };
}
