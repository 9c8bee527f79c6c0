export * from './validate-r4';
