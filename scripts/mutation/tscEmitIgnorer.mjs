// Stryker mutates the compiled core (out/src/core), so it also sees what tsc adds to every CommonJS module: the
// import helpers (__importStar, __createBinding…), the __esModule marker, `exports.x = void 0` and re-export
// getters. No test can (or should) notice a change there, so those nodes are ignored instead of counted as survivors.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const isTopLevel = (path) => path.parentPath?.isProgram() === true;

const isExportsMember = (node) =>
  node.type === 'MemberExpression' && node.object.type === 'Identifier' && node.object.name === 'exports';

// `exports.a = exports.b = void 0;`
const isExportsReset = (node) =>
  node.type === 'AssignmentExpression' &&
  isExportsMember(node.left) &&
  (isExportsReset(node.right) || (node.right.type === 'UnaryExpression' && node.right.operator === 'void'));

// `Object.defineProperty(exports, …)`: the __esModule marker and `export { x } from './y'` getters.
const isExportsDefinition = (node) =>
  node.type === 'CallExpression' &&
  node.callee.type === 'MemberExpression' &&
  node.callee.object.type === 'Identifier' && node.callee.object.name === 'Object' &&
  node.arguments[0]?.type === 'Identifier' && node.arguments[0].name === 'exports';

// `__exportStar(require('./x'), exports);`
const isHelperCall = (node) =>
  node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name.startsWith('__');

const tscEmitIgnorer = {
  shouldIgnore(path) {
    if (!isTopLevel(path)) return undefined;
    if (path.isVariableDeclaration() &&
        path.node.declarations.every((d) => d.id.type === 'Identifier' && d.id.name.startsWith('__'))) {
      return 'TypeScript module helper';
    }
    if (path.isExpressionStatement()) {
      const expression = path.node.expression;
      if (isExportsReset(expression) || isExportsDefinition(expression) || isHelperCall(expression)) {
        return 'TypeScript CommonJS export boilerplate';
      }
    }
    return undefined;
  },
};

export const strykerPlugins = [declareValuePlugin(PluginKind.Ignore, 'tsc-emit', tscEmitIgnorer)];
