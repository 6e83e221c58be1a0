import type { ConnectionSection, SonarlintConnections } from '../../../src/core/connectedMode/sonarlint';
import type { ProjectBinding, SonarlintSettings } from '../../../src/core/flows/bindConnectedMode';

/** SonarQube for IDE's User and folder settings in memory, copied through JSON as the editor's configuration is. */
export class MemorySonarlintSettings implements SonarlintSettings {
  readonly user: Partial<Record<ConnectionSection, unknown[]>> = {};
  readonly folders = new Map<string, ProjectBinding>();
  /** A folder whose settings cannot be written (a read-only settings file). */
  readOnlyFolder?: string;

  userConnections(): SonarlintConnections {
    return { sonarqube: copy(this.user.sonarqube ?? []), sonarcloud: copy(this.user.sonarcloud ?? []) };
  }

  async writeUserConnections(section: ConnectionSection, value: readonly unknown[] | undefined): Promise<void> {
    if (value === undefined) delete this.user[section];
    else this.user[section] = copy([...value]);
  }

  folderProject(folderUri: string): ProjectBinding | undefined {
    const value = this.folders.get(folderUri);
    return value && copy(value);
  }

  async writeFolderProject(folderUri: string, value: ProjectBinding | undefined): Promise<void> {
    if (folderUri === this.readOnlyFolder) throw new Error(`Unable to write into folder settings of ${folderUri}: the file is read-only.`);
    if (value === undefined) this.folders.delete(folderUri);
    else this.folders.set(folderUri, copy(value));
  }

  /** Everything set, as text, for comparisons and leak checks. */
  dump(): string {
    return JSON.stringify({ user: this.user, folders: [...this.folders.entries()] });
  }
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
