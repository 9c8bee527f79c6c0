export * from './manifests';
export * from './render';
export * from './stack';
