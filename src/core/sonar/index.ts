// Entry of the lazily loaded HTTP bundle (dist/sonar.js).
export * from './types';
export * from './errors';
export * from './target';
export * from './transport';
export * from './client';
export * from './capabilities';
