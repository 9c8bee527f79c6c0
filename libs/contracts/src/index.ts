export * from './topics/topics';
