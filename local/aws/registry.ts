/**
 * The set of local emulators one run talks to. Several emulators may serve one service
 * (SageMaker training, registry and feature-group metadata are separate modules), so calls are
 * routed by service and action together.
 */
import { AwsServiceError, type AwsServiceEmulator } from './emulator.js';

export class LocalAws {
  private readonly byService = new Map<string, Map<string, AwsServiceEmulator>>();

  /** Adds an emulator; an action already served by another emulator of the service is an error. */
  register(emulator: AwsServiceEmulator): this {
    const actions = this.byService.get(emulator.service) ?? new Map<string, AwsServiceEmulator>();
    for (const action of emulator.actions) {
      const existing = actions.get(action);
      if (existing && existing !== emulator) {
        throw new Error(`Two local emulators implement ${emulator.service}:${action}; register only one of them`);
      }
      actions.set(action, emulator);
    }
    this.byService.set(emulator.service, actions);
    return this;
  }

  /** True when `service:action` has an emulator. */
  implements(service: string, action: string): boolean {
    return this.byService.get(service)?.has(action) ?? false;
  }

  /** Services and the actions each implements, sorted: used in error messages and diagnostics. */
  implemented(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const service of [...this.byService.keys()].sort()) {
      out[service] = [...this.byService.get(service)!.keys()].sort();
    }
    return out;
  }

  async call(service: string, action: string, input: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const actions = this.byService.get(service);
    if (!actions) {
      const services = Object.keys(this.implemented());
      throw new AwsServiceError(
        'UnsupportedOperation',
        `No local emulator for AWS service ${JSON.stringify(service)} (action ${action}). Implemented services: ${services.join(', ') || 'none'}`,
      );
    }
    const emulator = actions.get(action);
    if (!emulator) {
      throw new AwsServiceError(
        'UnsupportedOperation',
        `The local ${service} emulators do not implement ${action}. Implemented: ${[...actions.keys()].sort().join(', ')}`,
      );
    }
    return emulator.call(action, input);
  }
}
