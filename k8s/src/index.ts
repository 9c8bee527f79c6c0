export * from './manifests';
export * from './render';
export * from './stack';
export * from './pod-environment';
