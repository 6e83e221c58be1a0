// What a mutation run mutates and where it reports, from its target (`config`, `sonar/transport.ts`,
// `journal,util,ports.ts` or '' for all of src/core): shared by the Stryker config and the script that starts it.

/** The comma-separated parts of a target, trimmed. */
export function targetParts(target) {
  return target === '' ? [] : target.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

/** The base name of the run's reports in reports/mutation/: `core`, `config`, `sonar-transport`, `journal+util+ports`. */
export function reportName(target) {
  const parts = targetParts(target);
  return parts.length === 0 ? 'core' : parts.map((part) => part.replace(/\.ts$/, '').replace(/[\\/]/g, '-')).join('+');
}
