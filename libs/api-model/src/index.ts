export * from './access/permissions';
export * from './access/roles';
export * from './page';
export * from './scheduling/appointment.views';
