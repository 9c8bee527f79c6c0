/** How long a break-glass grant lasts, as configured (EMERGENCY_ACCESS_MINUTES). */
export abstract class EmergencyAccessSettings {
  abstract readonly minutes: number;
}

export const emergencyAccessSettings = (config: {
  readonly EMERGENCY_ACCESS_MINUTES: number;
}): EmergencyAccessSettings => ({ minutes: config.EMERGENCY_ACCESS_MINUTES });
